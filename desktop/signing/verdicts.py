"""pyHanko's verdict on one signature, in the words the verify report uses.

pyHanko says what failed as an AdES sub-indication (ETSI EN 319 102-1); we keep its
judgement and only name it: weak algorithm, revoked, expired at signing time, key
usage, no path to a trusted root. One key-usage policy serves signing and verifying
(`certs.SIGNING_KEY_USAGES`, docs/signing.md "Key usage").
"""

from __future__ import annotations

from typing import Any

from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.validation.settings import KeyUsageConstraints

from desktop.signing.certs import SIGNING_KEY_USAGES

# Problems that make a signature not valid (exit 4). "untrusted" (nothing to check the
# root against) and "timestamp_untrusted" are shown but do not fail the file.
FATAL = frozenset(
    {
        "content_changed",
        "bad_signature",
        "disallowed_changes",
        "unreadable_signature",
        "weak_algorithm",
        "revoked",
        "expired",
        "not_yet_valid",
        "key_usage",
        "path_not_found",
        "revocation_unknown",
        "certificate_problem",
        "timestamp_invalid",
    }
)


class SigningKeyUsage(KeyUsageConstraints):
    """digitalSignature or nonRepudiation, and a certificate without a KeyUsage
    extension is unrestricted (RFC 5280 §4.2.1.3), exactly as `check_can_sign`."""

    def _validate_key_usage_extension(self, key_usage_extension_value: Any, extra: Any) -> None:
        if key_usage_extension_value is None and not extra:
            return
        super()._validate_key_usage_extension(key_usage_extension_value, extra)  # type: ignore[no-untyped-call]


def key_usage_policy() -> KeyUsageConstraints:
    return SigningKeyUsage(key_usage=set(SIGNING_KEY_USAGES), match_all_key_usages=False)


_BY_INDICATION: dict[AdESSubIndic, str] = {
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE: "weak_algorithm",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: "weak_algorithm",
    AdESIndeterminate.REVOKED_NO_POE: "revoked",
    AdESIndeterminate.REVOKED_CA_NO_POE: "revoked",
    AdESFailure.REVOKED: "revoked",
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "expired",
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: "expired",
    AdESIndeterminate.EXPIRED: "expired",
    AdESIndeterminate.NOT_YET_VALID: "not_yet_valid",
    AdESFailure.NOT_YET_VALID: "not_yet_valid",
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE: "key_usage",
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: "path_not_found",
    AdESIndeterminate.TRY_LATER: "revocation_unknown",
    AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE: "revocation_unknown",
    AdESFailure.HASH_FAILURE: "content_changed",
    AdESFailure.SIG_CRYPTO_FAILURE: "bad_signature",
}


def trust_problem(indication: AdESSubIndic | None, *, roots: int) -> str | None:
    """The name of what failed, or None; with no trusted root at all, a missing path
    is only "untrusted" (the clerk has not added the root yet)."""
    if indication is None:
        return None
    name = _BY_INDICATION.get(indication, "certificate_problem")
    if name == "path_not_found" and roots == 0:
        return "untrusted"
    return name
