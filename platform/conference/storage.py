"""Static files storage: hashed, compressed names (WhiteNoise), with the imports inside
JavaScript modules rewritten to the hashed names too, so a browser never mixes files
of two deployments."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
