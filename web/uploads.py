"""Imports by upload (`/imports`): the CLI's import kinds, run by the same use case (engine.imports.core.run).

An upload is first run in check mode, which writes nothing; its row errors are listed as the CLI lists them (file,
row, column, value, rule, source). The file is held in a private temporary folder until the person imports it (all
rows good), imports the good rows only (skip the bad ones, asked for explicitly), or cancels; then it is removed.
Held files nobody came back to are removed after HOLD_FOR. Limits are the import layer's own (engine/imports/tabular).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from engine import registry
from engine.errors import BargainError, DataError, NotFoundError
from engine.imports import tabular
from engine.imports.core import Kind, Result, row_lines, run
from engine.permission import ROOT, PermissionRefusedError, Principal, Resource, decide, scope_paths
from engine.usecases import audit as audit_trail
from web import context
from web.context import Ctx, check_csrf
from web.downloads import disposition
from web.errors import audit, refusal_json, status_of
from web.pages import posted, render, user_ctx

router = APIRouter()
KINDS = {  # the CLI's `bargain … import` kinds, in the order a new federation fills its database
    "org": ("工会组织", "organisations", "bargain org import"),
    "enterprise": ("企业", "enterprises", "bargain enterprise import"),
    "counselor": ("指导员", "counselors", "bargain counselor import"),
    "ledger": ("要约台账", "offer ledger", "bargain ledger import"),
}
HOLD_FOR = 3600.0  # seconds an uploaded file waits for its import before it is removed
CHUNK = 1 << 20
SLACK = 64 << 10  # the multipart envelope around the file
DONE = ".done"  # marks a folder that holds only the skipped rows of an import done
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def hold_root() -> Path:
    """The folder of held uploads (one private sub-folder each)."""
    root = Path(tempfile.gettempdir()) / "bargain-uploads"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def _kind(name: str, p: Principal, request: Request) -> Kind:
    if name == "org":
        from engine.imports.org import OrgImport

        return OrgImport()
    if name == "enterprise":
        from engine.imports.enterprise import EnterpriseImport

        return EnterpriseImport()
    if name == "counselor":
        from engine.imports.counselor import CounselorImport

        return CounselorImport()
    if name == "ledger":
        from engine.imports.ledger import LedgerImport

        return LedgerImport(recorded_at=context.now(request), actor=context.actor(p))
    raise DataError(f"请选择导入的类型（{'、'.join(KINDS)}）", f"choose what to import ({', '.join(KINDS)})", rule="import_kind",
                    required="|".join(KINDS), actual=name)


def _importer(request: Request, c: Ctx) -> Principal:
    """The user asking, if they may import somewhere (the engine's decision; a refusal is 403 and audited)."""
    p = c.principal
    assert p is not None
    if not scope_paths(p, "data.import", registry.roles()):
        home = p.grants[0].org_path if p.grants else ROOT  # asked where they hold a grant: a refusal, not "not found"
        refused = PermissionRefusedError(replace(decide(p, "data.import", Resource(home, None, "org"), registry.roles()),
                                                 hidden=False))
        audit_trail.record_refusal(c.store, refused, at=context.now(request))
        raise refused
    return p


def safe_name(name: str) -> str:
    """The uploaded file's own name, as the row errors cite it: no folders, no control characters, not too long."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip().lstrip(".")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 110] + dot + ext[:9]) if dot else base[:120]
    return base or "upload.csv"


@dataclass(frozen=True)
class Held:
    """An uploaded file waiting for its import: where it is, whose it is, of which kind."""

    token: str
    path: Path
    kind: str
    sheet: str | None


def _owner_key(c: Ctx) -> str:
    """Who may come back for a held file: this login in this session (a held file never passes to another)."""
    assert c.session is not None and c.principal is not None
    return hashlib.sha256(f"{c.principal.login}\n{c.session.csrf}".encode()).hexdigest()


def _purge_stale(now: float) -> None:
    for d in hold_root().iterdir():
        try:
            if now - d.stat().st_mtime > HOLD_FOR:
                shutil.rmtree(d, ignore_errors=True)
        except OSError:
            continue


def _remove(held: Held) -> None:
    shutil.rmtree(held.path.parent, ignore_errors=True)


def _claim(c: Ctx, token: str, *, rejected: bool = False) -> Held:
    """The held file of this token, if it is this session's; NotFoundError otherwise (also once imported). With
    `rejected`: the skipped rows an import left for download (NAME.rejected.csv, the CLI's file)."""
    gone = NotFoundError("这个上传的文件已导入、已取消或已过期，请重新上传", "this upload was imported, cancelled or has expired: "
                         "upload the file again", rule="import_upload")
    if not TOKEN.match(token):
        raise gone
    folder = hold_root() / token
    try:
        owner, kind, sheet = (folder / ".owner").read_text(encoding="utf-8").split("\n")[:3]
        files = [f for f in folder.iterdir() if f.name not in (".owner", DONE)]
        done = (folder / DONE).exists()
    except (OSError, ValueError):
        raise gone from None
    if not hmac.compare_digest(owner, _owner_key(c)) or len(files) != 1 or done != rejected:
        raise gone
    return Held(token, files[0], kind, sheet or None)


async def _receive(request: Request, c: Ctx) -> tuple[Held, dict[str, str]]:
    """Read the multipart upload into a held folder, within the import layer's size limit; the other fields."""
    limit = tabular.MAX_FILE_BYTES
    declared = request.headers.get("content-length", "")
    too_big = DataError(f"文件过大（最多 {limit >> 20} MB）", f"the file is too large (at most {limit >> 20} MB)",
                        hint_zh="请分成几个文件导入", hint_en="split it into several files", rule="file_size", required=limit)
    if declared.isdigit() and int(declared) > limit + SLACK:
        raise too_big
    try:
        form = await request.form(max_files=1, max_fields=20)
    except Exception:  # whatever the multipart parser objects to, the answer is one clear line
        raise DataError("上传的内容不完整或格式不对，请重新选择文件上传", "the upload is incomplete or malformed: choose the file "
                        "and upload it again", rule="upload") from None
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    check_csrf(request, c, fields.get("csrftoken"))
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise DataError("请选择要上传的文件", "choose a file to upload", rule="upload")
    _purge_stale(time.time())
    token = secrets.token_urlsafe(24)
    folder = hold_root() / token
    folder.mkdir(mode=0o700)
    held = Held(token, folder / safe_name(upload.filename), fields.get("kind", ""), (fields.get("sheet") or "").strip() or None)
    try:
        size = 0
        with held.path.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_big
                out.write(chunk)
        if size == 0:
            raise DataError(f"{held.path.name} 是空文件", f"{held.path.name} is empty", rule="empty_file")
        (folder / ".owner").write_text(f"{_owner_key(c)}\n{held.kind}\n{held.sheet or ''}\n", encoding="utf-8")
    except BaseException:
        _remove(held)
        raise
    finally:
        await upload.close()
    return held, fields


def _run(request: Request, c: Ctx, p: Principal, held: Held, *, check: bool, skip: bool) -> Result:
    os.utime(held.path.parent)  # still in use: not stale
    return run(c.store, held.path, _kind(held.kind, p, request), sheet=held.sheet, skip_invalid=skip, check=check,
               lang=c.lang, who=p, outside_rows=True)


def _columns(lang: str) -> dict[str, list[tuple[str, str, bool]]]:
    from engine.imports import counselor, enterprise, ledger, org

    mods = {"org": org, "enterprise": enterprise, "counselor": counselor, "ledger": ledger}
    return {k: [(col.key, col.zh, col.required) for col in m.COLUMNS] for k, m in mods.items()}


def _page(request: Request, c: Ctx, status: int = 200, **values: Any) -> Response:
    values.setdefault("refusal", None)
    values.setdefault("kind", request.query_params.get("kind") or "enterprise")
    return render(request, c, "imports.html", status, kinds=KINDS, columns=_columns(c.lang),
                  max_mb=tabular.MAX_FILE_BYTES >> 20, max_rows=tabular.MAX_ROWS, **values)


def _report(request: Request, c: Ctx, held: Held | None, result: Result, status: int = 200, **values: Any) -> Response:
    """The check's or the import's answer: counts, the row errors as the CLI lists them, what can be done next."""
    return render(request, c, "import_result.html", status, result=result, held=held, kinds=KINDS,
                  lines=row_lines(result.issues, result.file, c.lang), bad_rows=result.rejected_rows,
                  good_rows=max(result.rows - result.rejected_rows, 0), **values)


@router.get("/imports")
def import_page(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """Choose what to import and the file."""
    _importer(request, c)
    return _page(request, c)


@router.post("/imports")
async def upload(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """Receive a file and check it (nothing is written); the rows' errors, or what an import would do."""
    p = _importer(request, c)
    try:
        held, fields = await _receive(request, c)
    except BargainError as exc:
        if status_of(exc) in (401, 403):
            raise
        audit(request, exc, p.login, "import.upload")
        return _page(request, c, status_of(exc), refusal=refusal_json(exc, c.lang)["error"], kind=request.query_params.get("kind"))
    try:
        _kind(held.kind, p, request)
        result = await run_in_threadpool(_run, request, c, p, held, check=True, skip=False)
    except BargainError as exc:
        _remove(held)
        if status_of(exc) in (401, 403):
            raise
        audit(request, exc, p.login, f"import.check {held.kind}")
        return _page(request, c, status_of(exc), refusal=refusal_json(exc, c.lang)["error"], kind=fields.get("kind"))
    if result.rows == 0:
        _remove(held)
        return _report(request, c, None, result, 422, stage="empty")
    return _report(request, c, held, result, 422 if result.issues else 200, stage="checked")


@router.post("/imports/{token}")
def finish(request: Request, token: str, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Import a checked file: all of it (only when every row is good), the good rows only (`skip`), or cancel."""
    check_csrf(request, c, form.get("csrftoken"))
    p = _importer(request, c)
    held = _claim(c, token)
    action = str(form.get("action", ""))
    if action == "cancel":
        _remove(held)
        return RedirectResponse(f"/imports?kind={held.kind}", status_code=303)
    if action not in ("import", "skip"):
        raise DataError("请选择「导入」或「跳过错误行，导入其余行」", "choose 'import' or 'skip the bad rows and import the rest'",
                        rule="import_action", actual=action)
    try:
        result = _run(request, c, p, held, check=False, skip=action == "skip")
    except BargainError as exc:
        _remove(held)
        if status_of(exc) in (401, 403):
            raise
        audit(request, exc, p.login, f"import {held.kind}")
        return _page(request, c, status_of(exc), refusal=refusal_json(exc, c.lang)["error"], kind=held.kind)
    if not result.written:  # rows went bad since the check (someone changed the data): nothing written, choose again
        return _report(request, c, held, result, 422, stage="checked")
    rejected = _keep_rejected(held, result)
    return _report(request, c, None, result, stage="done", rejected=rejected)


def _keep_rejected(held: Held, result: Result) -> str | None:
    """After an import that skipped rows: the upload removed, its skipped rows kept for one download (their token)."""
    if not result.rejected_file:
        _remove(held)
        return None
    held.path.unlink(missing_ok=True)
    (held.path.parent / DONE).touch()
    return held.token


@router.get("/imports/{token}/rejected")
def rejected_rows(request: Request, token: str, c: Ctx = Depends(user_ctx)) -> Response:
    """The rows an import skipped, with their row numbers and reasons (the CLI's NAME.rejected.csv): fix them and
    upload that file as it is. Given once, then removed."""
    _importer(request, c)
    held = _claim(c, token, rejected=True)
    data = held.path.read_bytes()
    _remove(held)
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": disposition(held.path.name, "rejected.csv")})
