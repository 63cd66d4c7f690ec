"""Where media live: helpers that settings can import (no Django imports here)."""

from urllib.parse import urlsplit


def bucket_origins(*, endpoint_url: str | None, bucket: str, region: str | None) -> list[str]:
    """The origins a signed media URL may point at, for the Content-Security-Policy.

    With an endpoint (MinIO, another S3-compatible store) objects are addressed by path under
    it; on AWS itself they are on the bucket's own host, with or without the region in it.
    """
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}"]
    hosts = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return hosts
