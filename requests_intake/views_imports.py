"""Importing households from a file (preview, then confirm) and exporting them."""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.permissions import permission_needed
from requests_intake import imports
from requests_intake.exports import (
    CONTENT_TYPES,
    household_personal_data,
    zone_households_export,
    zones_user_may_export,
)
from requests_intake.imports import MAX_FILE_BYTES, HouseholdImportRefused
from requests_intake.models import Household, Zone

PREVIEW_ROWS = 200
UPLOAD_SALT = "requests_intake.households_import"
UPLOAD_MAX_AGE_S = 3600
_UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")


class HouseholdFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV or XLSX; the first row names the columns. Start a header with # to leave its column out."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it in parts.") % {"size": MAX_FILE_BYTES // 2**20},
                code="file_too_large",
            )
        return upload


def _upload_folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _upload_keep(*, user, content: bytes, file_name: str) -> str:
    """Keep an upload on the server until it is confirmed; the page holds only a signed token naming it."""
    folder = _upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    # Personal data does not linger: uploads never confirmed go after an hour.
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - UPLOAD_MAX_AGE_S:
            old.unlink(missing_ok=True)
    name = secrets.token_hex(16)
    (folder / name).write_bytes(content)
    return signing.dumps({"name": name, "user": user.pk, "file": Path(file_name).name}, salt=UPLOAD_SALT)


def _upload_take(*, user, token: str) -> tuple[Path, str]:
    """The kept upload a token names, if the token is this server's, this user's and recent."""
    try:
        kept = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE_S)
    except signing.BadSignature as exc:  # expired tokens too
        raise PermissionDenied from exc
    if kept.get("user") != user.pk or not _UPLOAD_NAME.fullmatch(str(kept.get("name", ""))):
        raise PermissionDenied
    return _upload_folder() / kept["name"], kept["file"]


def _import_confirmed(request, token: str):
    path, file_name = _upload_take(user=request.user, token=token)
    if not path.exists():
        messages.error(request, _("The uploaded file is no longer here; upload it again."))
        return redirect("households_import")
    try:
        result = imports.households_import(actor=request.user, content=path.read_bytes(), file_name=file_name)
    except HouseholdImportRefused as exc:
        # The records changed since the preview (someone registered one of these documents): show why.
        context = {"form": HouseholdFileForm(), "errors": exc.errors, "file_name": file_name}
        return render(request, "requests_intake/imports/import.html", context)
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        ngettext(
            "%(count)s household imported from %(file)s.",
            "%(count)s households imported from %(file)s.",
            result.created,
        )
        % {"count": result.created, "file": file_name},
    )
    if result.unplaced:
        messages.warning(
            request,
            ngettext(
                "%(count)s of them could not be placed on the map from its address.",
                "%(count)s of them could not be placed on the map from their addresses.",
                result.unplaced,
            )
            % {"count": result.unplaced},
        )
    return redirect("households_import")


@permission_needed("requests_intake.add_household")
def households_import(request):
    """Upload a file and see what it would do (a dry run); then confirm, and every household is saved or none."""
    if request.method == "POST" and "token" in request.POST:
        return _import_confirmed(request, request.POST["token"])
    form = HouseholdFileForm(request.POST, request.FILES) if request.method == "POST" else HouseholdFileForm()
    context = {"form": form, "errors": [], "result": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        context["file_name"] = upload.name
        try:
            result = imports.households_import(actor=request.user, content=content, file_name=upload.name, dry_run=True)
        except HouseholdImportRefused as exc:
            context["errors"] = exc.errors
        else:
            context.update(
                result=result,
                preview=result.rows[:PREVIEW_ROWS],
                hidden=max(0, result.count - PREVIEW_ROWS),
                token=_upload_keep(user=request.user, content=content, file_name=upload.name),
            )
    return render(request, "requests_intake/imports/import.html", context)


@permission_needed("requests_intake.export_household")
def households_export(request):
    """Without a zone: the zones the user may export. With ?zone=<code>&format=csv|xlsx: that zone's file."""
    zones = zones_user_may_export(request.user)
    code = request.GET.get("zone")
    if not code:
        zones = zones.annotate(households=Count("household", filter=Q(household__merged_into__isnull=True))).order_by(
            "name"
        )
        return render(request, "requests_intake/imports/export.html", {"zones": zones, "formats": list(CONTENT_TYPES)})
    file_format = request.GET.get("format", "csv")
    if file_format not in CONTENT_TYPES:
        raise Http404
    zone = get_object_or_404(Zone, code=code)
    content, content_type, name = zone_households_export(user=request.user, zone=zone, file_format=file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_needed("requests_intake.export_household")
def household_data_export(request, pk: int):
    """Everything kept about one household, as JSON, for the person's access request."""
    household = get_object_or_404(Household.objects.select_related("zone"), pk=pk)
    data = household_personal_data(user=request.user, household=household)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="household-{household.pk}.json"'
    return response
