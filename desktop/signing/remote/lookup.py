"""The certificate a signer holds at a trust service, whatever its kind (push or CSC):
for `certs list --remote`, the signing dialog and Chứng thư số. No PIN is needed."""

from __future__ import annotations

from cryptography import x509

from desktop.signing.remote.csc import CscClient, open_csc_key
from desktop.signing.remote.jobs import pick_certificate
from desktop.signing.remote.push import PushClient
from desktop.signing.remote.services import Service, client_secret


def find_certificate(service: Service, user_id: str) -> x509.Certificate:
    if service.kind == "csc":
        client = CscClient(service, client_secret(service))
        try:
            return open_csc_key(client, user_id, "").certificate
        finally:
            client.close()
    with PushClient(service, client_secret(service)) as push:
        return pick_certificate(push.certificates(user_id), service.name, user_id).certificate
