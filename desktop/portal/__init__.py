"""Talking to a public-service portal: the API v1 contract, its httpx client, adapters."""
