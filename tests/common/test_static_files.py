"""Production's static storage can collect every file a checkout holds."""

import io

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    # The manifest storage follows every url() and sourceMappingURL in the vendored files, so a
    # reference to a file that is not shipped fails the deploy; this catches it before then.
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    out = io.StringIO()

    with override_settings(STATIC_ROOT=tmp_path, STORAGES={**storages, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=1, stdout=out)

    assert "post-processed" in out.getvalue()
    assert (tmp_path / "staticfiles.json").exists()
