"""Session materials: slides and papers uploaded by the session's speakers or the organisers,
and links. Files are checked by what they contain, not by their name: a PDF starts with
`%PDF-`, and PowerPoint, Word and OpenDocument files are zip archives with their own manifest.
Anything else, or anything over the size limit, is refused with a message and nothing is kept."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from conference.errors import Forbidden, InvalidInput, NotFound
from conference.text import clean_text

from .models import Material, Session
from .permissions import AnonymousUser, User, is_organiser, is_speaker

# Extension -> (what the file is, the part a zip-based document must contain, or None for PDF).
DOCUMENTS = {
    ".pdf": ("application/pdf", None),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
    ".ppsx": ("application/vnd.openxmlformats-officedocument.presentationml.slideshow", "ppt/"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    ".odp": ("application/vnd.oasis.opendocument.presentation", "mimetype"),
    ".odt": ("application/vnd.oasis.opendocument.text", "mimetype"),
}
MAX_TITLE = 200


def max_bytes() -> int:
    return settings.MATERIALS_MAX_MB * 1024 * 1024


def may_manage(user: User, session: Session) -> bool:
    return is_organiser(user, session.edition) or is_speaker(user, session)


def content_type(material: Material) -> str:
    return DOCUMENTS.get(Path(material.file.name).suffix.lower(), ("application/octet-stream", None))[0]


def _check_document(upload: UploadedFile) -> None:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENTS:
        raise InvalidInput(
            _("Upload a document: PDF, PowerPoint (.pptx, .ppsx), Word (.docx) or OpenDocument (.odp, .odt)."),
            code="unsupported_file", field="file")
    if upload.size is None or upload.size > max_bytes():
        raise InvalidInput(_("The file is larger than %(mb)d MB: upload a smaller version, or add a link to it.")
                           % {"mb": settings.MATERIALS_MAX_MB}, code="file_too_large", field="file")
    mime, part = DOCUMENTS[suffix]
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if part is None:
        valid = head == b"%PDF-"
    else:
        valid = False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if part == "mimetype":
                    valid = "mimetype" in names and archive.read("mimetype")[:100].decode(errors="replace") == mime
                else:
                    valid = "[Content_Types].xml" in names and any(name.startswith(part) for name in names)
        except (zipfile.BadZipFile, OSError, KeyError):
            valid = False
        finally:
            upload.seek(0)
    if not valid:
        raise InvalidInput(_("This file is not a %(kind)s document, whatever its name says.")
                           % {"kind": suffix.lstrip(".").upper()}, code="unsupported_file", field="file")


def _check_title(title: str) -> str:
    if not (title or "").strip():
        raise InvalidInput(_("Give the material a title, e.g. “Slides”."), field="title")
    return clean_text(title, max_length=MAX_TITLE, what="title", field="title")


def _check_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a full web address starting with https:// or http://."), field="url") from exc
    if len(url) > 500:
        raise InvalidInput(_("Web addresses are limited to 500 characters."), field="url")
    return url


@transaction.atomic
def add_material(actor: User, session: Session, *, title: str, kind: str = Material.Kind.SLIDES,
                 upload: UploadedFile | None = None, url: str = "") -> Material:
    """A file or a link, never both; speakers of the session and organisers only."""
    if isinstance(actor, AnonymousUser) or not may_manage(actor, session):
        raise Forbidden(_("Only the session's speakers and the organisers can add materials."))
    title = _check_title(title)
    if kind not in Material.Kind.values:
        raise InvalidInput(_("Choose slides, paper or link."), field="kind")
    if upload is not None and url:
        raise InvalidInput(_("Upload a file or give a link, not both."), field="url")
    material = Material(session=session, kind=kind, title=title, uploaded_by=actor)
    if upload is not None:
        if kind == Material.Kind.LINK:
            material.kind = Material.Kind.SLIDES
        _check_document(upload)
        material.size = upload.size
        material.file.save(Path(upload.name or "document").name[-100:], upload, save=False)
    elif url:
        material.url = _check_url(url)  # slides or a paper elsewhere keep their kind
    else:
        raise InvalidInput(_("Choose a file to upload or give a link."), field="file")
    # The file is on disk before the row: if the insert fails, remove it again.
    try:
        material.save()
    except Exception:
        if material.file:
            material.file.delete(save=False)
        raise
    return material


def get_material(session: Session, material_id: int) -> Material:
    material = session.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound(_("This session has no such material."))
    return material


@transaction.atomic
def delete_material(actor: User, material: Material) -> None:
    if not may_manage(actor, material.session):
        raise Forbidden(_("Only the session's speakers and the organisers can remove materials."))
    stored = material.file.name if material.file else ""
    storage = material.file.storage if material.file else None
    material.delete()
    if storage is not None and stored:
        transaction.on_commit(lambda: storage.delete(stored))  # the file goes once the row is gone
