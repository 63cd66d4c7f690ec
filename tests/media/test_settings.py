"""How media storage is configured from the environment, as production loads it."""

import json

from tests.test_production_settings import COMPLETE, _settings

SHOW = (
    "import json; from django.conf import settings as s; "
    "d = s.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'root': str(s.MEDIA_ROOT), "
    "'img': d['img-src'], 'media': d.get('media-src'), 'default': d['default-src'], "
    "'limits': [s.MEDIA_IMAGE_MAX_MB, s.MEDIA_VIDEO_MAX_MB, s.MEDIA_URL_EXPIRY_SECONDS]}))"
)


def _loaded(**variables) -> dict:
    result = _settings(code=SHOW, **COMPLETE, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_media_are_local_files_under_var_media_shown_from_our_own_origin():
    loaded = _loaded()
    assert loaded["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert loaded["root"].endswith("/var/media")
    # images and videos come only from the site itself (media-src falls back to default-src)
    assert loaded["img"] == ["'self'", "data:"]
    assert loaded["media"] is None
    assert loaded["default"] == ["'self'"]
    assert loaded["limits"] == [10, 100, 300]


def test_s3_storage_signs_urls_and_the_policy_allows_the_buckets_origin():
    loaded = _loaded(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="clinic-media",
        AWS_S3_ENDPOINT_URL="https://minio.clinic.example:9000",
        AWS_ACCESS_KEY_ID="greenlight",
        AWS_SECRET_ACCESS_KEY="a-secret",
        MEDIA_URL_EXPIRY_SECONDS="120",
    )
    options = loaded["storage"]["OPTIONS"]
    assert loaded["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "clinic-media"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 120
    assert options["default_acl"] == "private"
    assert loaded["img"] == ["'self'", "data:", "https://minio.clinic.example:9000"]
    assert loaded["media"] == ["'self'", "https://minio.clinic.example:9000"]


def test_an_unknown_storage_is_refused_at_start_up():
    result = _settings(code=SHOW, **COMPLETE, MEDIA_STORAGE="S3 please")
    assert result.returncode != 0
    assert "MEDIA_STORAGE is local or s3, not 'S3 please'." in result.stderr
