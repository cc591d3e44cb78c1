"""Cài đặt: portal and account, signing tokens, limits, language."""
