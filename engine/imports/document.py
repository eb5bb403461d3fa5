"""Contract and reference files in: the text of a .docx (python-docx), .pdf (pypdf) or .txt (encoding detected),
with a size limit, handed to the use case that keeps the original and its sha256 (engine/usecases/contracts.py).

A .doc (Word 97) or a scanned PDF without a text layer is refused with what to do, never stored empty.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from engine.errors import DataError
from engine.permission import Principal
from engine.store.database import Store
from engine.usecases import contracts

MAX_FILE_BYTES = 10 * 1024 * 1024  # a contract of tens of pages is well under 1 MB; a 10 MB file is a scan or a mistake
KINDS = ("docx", "pdf", "txt")


def _refuse(path: Path, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> DataError:
    return DataError(f"{path.name}：{zh}", f"{path.name}: {en}", hint_zh=hint_zh, hint_en=hint_en, rule="contract.file",
                     actual=str(path))


def kind_of(path: Path) -> str:
    """docx, pdf or txt from the file's name; DataError for anything else."""
    kind = path.suffix.lower().lstrip(".")
    if kind == "doc":
        raise _refuse(path, "不支持旧版 Word（.doc）文件", "old Word (.doc) files are not read",
                      "请在 Word 中另存为 .docx 或 PDF", "save it as .docx or PDF in Word")
    if kind not in KINDS:
        raise _refuse(path, f"只支持 {'、'.join(KINDS)} 文件", f"only {', '.join(KINDS)} files are read")
    return kind


def read_file(path: Path) -> bytes:
    """The file's bytes, refused when missing or over MAX_FILE_BYTES."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, f"无法读取（{exc.strerror}）", f"cannot be read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"文件 {size:,} 字节，超过上限 {MAX_FILE_BYTES:,} 字节", f"the file is {size:,} bytes, over the "
                      f"{MAX_FILE_BYTES:,}-byte limit", "扫描件请先识别文字并另存为 docx、pdf 或 txt",
                      "a scan needs OCR and saving as docx, pdf or txt")
    return path.read_bytes()


MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # ours: a docx's parts unpacked; a contract's are a few MB at most (images)
MAX_PACK_RATIO = 200  # ours: XML compresses 5-20x; a part unpacking to hundreds of times its size is a zip bomb


def _check_zip(data: bytes) -> None:
    """Refuse a docx whose parts would unpack to more than MAX_UNPACKED_BYTES or at a zip bomb's ratio, before
    python-docx reads any of them (it reads each part whole into memory). Sizes are the archive's declared ones,
    and the reading below stops at them, so a forged header cannot unpack more."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > MAX_UNPACKED_BYTES or (total > 1024 * 1024 and total > MAX_PACK_RATIO * max(packed, 1)):
            raise DataError(f"解压后 {total:,} 字节（压缩 {packed:,} 字节），超过上限 {MAX_UNPACKED_BYTES:,} 字节或压缩比 "
                            f"{MAX_PACK_RATIO}：疑似压缩炸弹", f"unpacks to {total:,} bytes from {packed:,}: over the "
                            f"{MAX_UNPACKED_BYTES:,}-byte limit or the {MAX_PACK_RATIO}x ratio (a zip bomb?)",
                            rule="contract.file")


def _docx_text(data: bytes) -> str:
    from docx import Document

    _check_zip(data)
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    """A PDF's text layer. pypdf logs what it repairs ("EOF marker not found", "invalid pdf header") to stderr: the
    one line the reader sees is ours, so its logger and warnings are quiet while it reads."""
    import logging
    import warnings

    from pypdf import PdfReader

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
    finally:
        log.setLevel(level)


# What a file's first bytes say it is, whatever its name: a Word file renamed .txt is not text to guess at.
_MAGIC = ((b"PK\x03\x04", "docx"), (b"%PDF-", "pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"))
_KIND_ZH = {"docx": "Word（.docx）文件或其他压缩包", "pdf": "PDF 文件", "doc": "旧版 Word（.doc）或 Excel（.xls）文件",
            "txt": "纯文本"}
_KIND_EN = {"docx": "a Word (.docx) file or another zip archive", "pdf": "a PDF", "doc": "an old Word (.doc) or Excel (.xls) "
            "file", "txt": "plain text"}


def _sniffed(data: bytes) -> str | None:
    head = data[:1024].lstrip()
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def _check_kind(path: Path, data: bytes, kind: str) -> None:
    """Refuse a file whose first bytes say it is another kind than its name does (a .docx saved as .txt, a PDF
    named .docx); a file that is none of them is left to its reader, which says it is not a valid one."""
    found = _sniffed(data)
    if found is None or found == kind:
        return
    fix_zh = ("请在 Word 中另存为 .docx 或 PDF" if found == "doc" else f"请把扩展名改为 .{found} 后重试")
    fix_en = ("save it as .docx or PDF in Word" if found == "doc" else f"rename it to .{found} and try again")
    def spaced(name: str) -> str:  # a space between Chinese and a Latin word, as the other messages write it
        return f" {name}" if name[0].isascii() else name

    raise _refuse(path, f"内容是{spaced(_KIND_ZH[found])}，不是{spaced(_KIND_ZH[kind])}", f"holds {_KIND_EN[found]}, not {_KIND_EN[kind]}",
                  fix_zh, fix_en)


def _txt_text(data: bytes, name: str = "") -> str:
    """A text file's text, its encoding judged as a CSV's is (engine.imports.encoding): only when sure."""
    import codecs

    from engine.imports import encoding

    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    bare = encoding.utf16_without_bom(data)
    for codec in ([bare] if bare else []) + ["utf-8"]:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _unsure(name, data) from None
    if encoding.reads_as_chinese(data) and not encoding.reads_as_korean(data):
        return text
    raise _unsure(name, data)


def _unsure(name: str, data: bytes) -> DataError:
    """The CSV reader's refusal of an uncertain encoding, with the way to save a text, not a spreadsheet."""
    from engine.imports import encoding

    error = encoding.unsure(name or "txt", data, "未读入", "nothing was read")
    error.hint_zh = "请用记事本或 WPS 另存为 UTF-8 编码的 .txt，或直接附上 .docx、PDF 原件"
    error.hint_en = "save it as UTF-8 text from Notepad or WPS, or attach the .docx or PDF itself"
    return error


def extract_text(path: Path, data: bytes, kind: str) -> str:
    """The text of a file's bytes, by kind; DataError naming the file when it cannot be read as that kind."""
    _check_kind(path, data, kind)
    try:
        if kind == "docx":
            return _docx_text(data)
        if kind == "pdf":
            return _pdf_text(data)
        return _txt_text(data, path.name)
    except DataError as exc:
        if exc.rule == "contract.file" and not exc.zh.startswith(path.name):
            raise _refuse(path, exc.zh, exc.en) from None
        raise
    except Exception as exc:  # a broken or mislabelled file: python-docx and pypdf raise many kinds
        raise _refuse(path, f"不是有效的 {kind} 文件，无法读取", f"is not a valid {kind} file ({type(exc).__name__})") \
            from None


def attach(store: Store, case_id: int, path: Path, *, at: datetime, actor: str, who: Principal | None = None) -> contracts.FileStored:
    """`bargain contract attach`: read, extract and keep a case's contract file."""
    kind = kind_of(path)
    data = read_file(path)
    text = extract_text(path, data, kind)
    return contracts.attach_text(store, case_id, name=path.name, kind=kind, data=data, text=text, at=at, actor=actor,
                                 who=who)


def add_reference(store: Store, path: Path, *, name: str, org: str | None, at: datetime, actor: str,
                  who: Principal | None = None) -> contracts.FileStored:
    """`bargain contract reference add`: read, extract and keep a reference text."""
    kind = kind_of(path)
    data = read_file(path)
    text = extract_text(path, data, kind)
    return contracts.add_reference(store, ref_name=name, org=org, name=path.name, kind=kind, data=data, text=text, at=at,
                                   actor=actor, who=who)
