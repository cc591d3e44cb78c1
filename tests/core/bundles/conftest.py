from tests.core.bundles.helpers import bundle_pki, pair

__all__ = ["bundle_pki", "pair"]
