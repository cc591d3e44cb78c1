"""What a file is and whether it is sound: the one sniffer and the one PDF verdict.

Attachments, intake and signing all decide from here, so that they judge a file alike.
"""
