"""Remote signing: a certificate held by a trust service (push confirmation, CSC).

The document never leaves the PC: the PDF is prepared here (`deferred.py`), only the
hash of its PAdES signed attributes goes to the service, and the returned signature is
checked against the certificate and that hash before pyHanko embeds it. A request that
waits for the signer's phone is a durable job in the database (`jobs.py`).
"""
