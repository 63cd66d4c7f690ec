"""MEDIA_STORAGE=s3: files go to the bucket and are read through short-lived signed URLs,
handed out by the same access-checked view (moto stands in for S3)."""

from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from apps.media.storage import bucket_origins
from tests.conftest import client_for
from tests.factories import prescription_photo

pytestmark = pytest.mark.django_db
BUCKET = "greenlight-media-test"


@pytest.fixture
def s3(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "signature_version": "s3v4",
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_an_upload_goes_to_the_bucket(s3, clinician, program):
    media = prescription_photo(clinician, program.items.first())

    stored = s3.get_object(Bucket=BUCKET, Key=media.file.name)
    assert stored["ContentType"] == "image/jpeg"
    assert stored["Body"].read()[:3] == b"\xff\xd8\xff"
    assert s3.head_object(Bucket=BUCKET, Key=media.thumbnail.name)["ContentLength"] > 0


def test_the_view_redirects_to_a_signed_url_that_expires(s3, settings, clinician, program):
    settings.MEDIA_URL_EXPIRY_SECONDS = 300
    media = prescription_photo(clinician, program.items.first())

    response = client_for(clinician).get(reverse("media:file", args=[media.pk]))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path.endswith(media.file.name)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert response["Cache-Control"] == "private, no-store"


def test_a_stranger_still_gets_404_and_no_url(s3, clinician, program, other_clinic_clinician):
    media = prescription_photo(clinician, program.items.first())

    response = client_for(other_clinic_clinician).get(reverse("media:file", args=[media.pk]))

    assert response.status_code == 404
    assert "Location" not in response


def test_the_bucket_origin_for_the_content_security_policy():
    assert bucket_origins(endpoint_url="http://localhost:9000/", bucket="b", region=None) == [
        "http://localhost:9000"
    ]
    assert bucket_origins(endpoint_url=None, bucket="b", region="eu-west-1") == [
        "https://b.s3.amazonaws.com",
        "https://b.s3.eu-west-1.amazonaws.com",
    ]
