"""The site twin: buildings, equipment, detectors, zones, population, exits and muster points.

Read a site file with :func:`load_site` (checked against the schema, cross-references and geometry),
get its derived geometry with ``site.view()`` (:class:`SiteView`) and write it back with
:func:`save_site`. Errors a user can fix are ``ValueError`` subclasses: :class:`SiteFileError` for
a site file, :class:`UnknownIdError` for a lookup by an id the site does not have.
"""

from twin.convert import to_site
from twin.errors import SiteFileError, SiteIssue, UnknownIdError
from twin.runtime import SiteView, site_view
from twin.schema import SCHEMA_VERSION, SiteFile
from twin.site import Site
from twin.store import load_site, load_site_file, save_site
from twin.validation import validate_site

__all__ = [
    "SCHEMA_VERSION",
    "Site",
    "SiteFile",
    "SiteFileError",
    "SiteIssue",
    "SiteView",
    "UnknownIdError",
    "load_site",
    "load_site_file",
    "save_site",
    "site_view",
    "to_site",
    "validate_site",
]
