"""Session materials on the session page: add (file or link), download, remove."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conference.web import page_errors

from . import materials, services


def _session(request, edition, session):
    return services.get_session(services.get_edition(edition, request.user), session)


@login_required
@require_POST
@page_errors(back="session")
def add_material(request, edition, session):
    session = _session(request, edition, session)
    material = materials.add_material(
        request.user, session, title=request.POST.get("title", ""), kind=request.POST.get("kind", "slides"),
        upload=request.FILES.get("file"), url=request.POST.get("url", ""))
    messages.success(request, _("“%(title)s” is added to the session.") % {"title": material.title})
    return redirect("session", edition=edition, session=session.slug)


@page_errors
def download(request, edition, session, material):
    """A file for whoever may see the session; a link goes to its address."""
    material = materials.get_material(_session(request, edition, session), material)
    if material.url:
        return HttpResponseRedirect(material.url)
    content_type = materials.content_type(material)
    response = FileResponse(material.file.open("rb"), content_type=content_type,
                            as_attachment=content_type != "application/pdf",
                            filename=material.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@require_POST
@page_errors(back="session")
def delete(request, edition, session, material):
    material = materials.get_material(_session(request, edition, session), material)
    materials.delete_material(request.user, material)
    messages.success(request, _("“%(title)s” is removed.") % {"title": material.title})
    return redirect("session", edition=edition, session=session)
