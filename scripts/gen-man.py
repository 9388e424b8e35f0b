#!/usr/bin/env python3
"""Man pages for libbytes, generated from include/bytes.h (Python 3, stdlib).

    gen-man.py HEADER OUTDIR [GUIDE]     writes OUTDIR/NAME.3 for every function
                                         and type the header declares, and
                                         OUTDIR/libbytes.3 (rules, ownership,
                                         threads, errors) from its top comment;
                                         a block of GUIDE (docs/guide.md) tagged
                                         `c program man=NAME,...` is the EXAMPLE
                                         of those pages
    gen-man.py --check HEADER SYMBOLS    fails (exit 1), naming each, for every
                                         symbol in the file SYMBOLS (one a line,
                                         e.g. from `nm -D --defined-only`)
                                         without a doc comment in HEADER, and
                                         for every function returning
                                         bytes_status_t whose doc comment lists
                                         no error

The text is the header's own: the doc comment of each declaration (`/** */`
from cbindgen, or the `/* */` written by hand before the static inline
functions) becomes DESCRIPTION, its "Errors" paragraph RETURN VALUE, the
errno values it names ERRORS, and the header's rule 8 THREADS.
"""
import os
import re
import sys

STATUS_RETURN = "bytes_status_t"


class Decl:
    """One documented declaration: a function or a type."""

    def __init__(self, name, kind, code, doc, section_doc=""):
        self.name = name
        self.kind = kind  # "function", "inline", "type"
        self.code = code
        self.doc = doc
        self.section_doc = section_doc
        self.returns = ""
        self.fields = []  # (field, doc) for structs and enums


def comment_text(raw):
    """The text of a C comment, without its delimiters and leading stars."""
    body = re.sub(r"^/\*\*?", "", raw.strip())
    body = re.sub(r"\*/$", "", body)
    lines = []
    body = re.sub(r"\n\s*\* \(Written by hand in cbindgen\.toml.*?\)\n", "\n", body, flags=re.S)
    for line in body.split("\n"):
        line = re.sub(r"^\s*\* ?", "", line) if line.strip().startswith("*") else line.strip()
        lines.append(line.rstrip())
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def parse(text):
    """Returns (top comment, {name: Decl}) for the header's text."""
    top = comment_text(re.match(r"\s*(/\*.*?\*/)", text, re.S).group(1))
    decls = {}
    structs = {}  # struct/enum tag -> Decl, for the `_t` aliases
    pending = None  # the comment right before the next declaration
    section = ""  # a comment over a group of static inline functions
    pos = text.index("*/") + 2
    n = len(text)
    while pos < n:
        if text.startswith("/*", pos):
            end = text.index("*/", pos) + 2
            doc = comment_text(text[pos:end])
            if text[end:end + 2] in ("\n\n", "\n#"):
                if not doc.startswith("----"):
                    section = doc  # a comment over a group of declarations
                pending = None
            else:
                pending = doc
            pos = end
            continue
        eol = text.find("\n", pos)
        eol = n if eol < 0 else eol
        line = text[pos:eol]
        stripped = line.strip()
        if not stripped:
            pos = eol + 1
            continue
        m = re.match(r"typedef (struct|enum) (\w+) \{", stripped)
        if m:
            end = text.index("\n}", pos)
            close = text.index(";", end)
            code = text[pos:close + 1]
            name = re.search(r"\}\s*(\w+);", text[end:close + 1]).group(1)
            d = Decl(name, "type", "", pending or "")
            inner = text[text.index("{", pos) + 1:end]
            field_doc = ""
            for fm in re.finditer(r"(/\*\*.*?\*/)|([^\n;{}]+[;,])", inner, re.S):
                if fm.group(1):
                    field_doc = comment_text(fm.group(1))
                else:
                    decl = fm.group(2).strip().rstrip(",;")
                    if not decl.split()[-1].startswith("_"):
                        d.fields.append((decl, field_doc))
                    field_doc = ""
            # Private fields are not part of the synopsis.
            if any(f.split()[-1].lstrip("*").startswith("_") for f in re.findall(r"[^\n;{}]+;", inner)):
                code = "typedef %s %s { /* private */ } %s;" % (m.group(1), m.group(2), name)
            else:
                code = re.sub(r"\n\s*/\*\*.*?\*/", "", code, flags=re.S)
            d.code = code
            structs[m.group(2)] = d
            if name.startswith("bytes_"):
                decls[name] = d
            pending = None
            pos = close + 1
            continue
        m = re.match(r"typedef (?:struct|enum) (\w+) (\w+);", stripped)
        if m and m.group(1) in structs:
            base = structs[m.group(1)]
            d = Decl(m.group(2), "type", base.code + "\n" + stripped, (base.doc + "\n\n" + (pending or "")).strip())
            d.fields = base.fields
            decls.pop(base.name, None)
            decls[d.name] = d
            pending = None
            pos = eol + 1
            continue
        m = re.match(r"(static inline )?([\w\s\*]+?)\b(bytes_\w+)\((.*)", stripped)
        if m and not stripped.startswith(("#", "typedef", "return")):
            if m.group(1):
                body_end = text.index("\n}", pos) + 2
                proto = stripped.rstrip("{ ").rstrip() + ";"
                kind = "inline"
                nxt = body_end
            else:
                semi = text.index(";", pos)
                proto = " ".join(text[pos:semi + 1].split())
                kind = "function"
                nxt = semi + 1
            name = m.group(3)
            # A library function needs a comment of its own.
            d = Decl(name, kind, proto, pending or "", section if pending is None and kind == "inline" else "")
            # The return type without the attribute macro (BYTES_MUST_USE).
            d.returns = " ".join(w for w in m.group(2).split() if w != "BYTES_MUST_USE")
            decls[name] = d
            # Declarations written right after one another share its comment.
            if not re.match(r"\n(static inline |const |bytes_|void |struct |bool |size_t )", text[nxt:nxt + 20]):
                pending = None
            pos = nxt
            continue
        if not stripped.startswith(("static_assert", "_Static_assert")):
            pending = None
        pos = eol + 1
    return top, decls


def documented(d):
    return bool((d.doc or d.section_doc).strip())


def errors_paragraph(doc):
    """The doc comment's paragraph that lists the error statuses."""
    for para in re.split(r"\n\s*\n", doc):
        flat = " ".join(para.split())
        i = flat.find("Errors")
        if i >= 0 and "BYTES_ERR_" in flat[i:]:
            return flat[i:]
    return ""


def without_errors(doc):
    """The doc comment without its Errors paragraph (RETURN VALUE has it)."""
    paras = re.split(r"\n\s*\n", doc)
    for i, para in enumerate(paras):
        flat = " ".join(para.split())
        j = flat.find("Errors")
        if j >= 0 and "BYTES_ERR_" in flat[j:]:
            paras[i] = flat[:j].strip()
    return "\n\n".join(p for p in paras if p.strip())


def error_clauses(para):
    """[(status names, meaning)] and a trailing note from an Errors paragraph."""
    note = ""
    m = re.match(r"Errors\s*(?:\(([^()]*(?:\([^()]*\)[^()]*)*)\))?\s*:", para)
    rest = para[m.end():] if m else para
    if m and m.group(1):
        note = m.group(1)
    starts = [m.start() for m in re.finditer(r"`BYTES_ERR_\w+`(?:/`BYTES_ERR_\w+`)?\s+(?:if|with|when)", rest)]
    clauses = []
    for i, s in enumerate(starts):
        seg = rest[s:starts[i + 1] if i + 1 < len(starts) else len(rest)].strip()
        if i + 1 == len(starts):
            tail = re.search(r"[.;]\s+(?=[`A-Z*])(?!`BYTES_ERR)", seg)
            if tail:
                note = (note + ". " if note else "") + seg[tail.end():].strip()
                seg = seg[:tail.start()]
        seg = seg.rstrip(" ;.")
        names = re.match(r"((?:`BYTES_ERR_\w+`/?)+)\s*", seg)
        clauses.append((names.group(1).replace("`", ""), seg[names.end():]))
    return clauses, note.strip()


# ---- roff output ----

def esc(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return s


def inline(s):
    """Markdown-ish `code` to bold, escaped for roff."""
    out = []
    for i, part in enumerate(s.split("`")):
        out.append("\\fB%s\\fR" % esc(part) if i % 2 else esc(part))
    return "".join(out)


def para_lines(text):
    """Paragraphs of a comment as roff, keeping numbered and dashed lists."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        items = re.split(r"\n(?=\s*(?:\d+\.|-)\s)", para)
        if len(items) > 1 or re.match(r"\s*(\d+\.|-)\s", items[0]):
            first = items[0]
            if not re.match(r"\s*(\d+\.|-)\s", first):
                out += [".PP", line_safe(inline(" ".join(first.split())))]
                items = items[1:]
            for it in items:
                mark, _, body = it.strip().partition(" ")
                out += [".IP %s 4" % ("\\(bu" if mark == "-" else mark), line_safe(inline(" ".join(body.split())))]
        else:
            out += [".PP", line_safe(inline(" ".join(para.split())))]
    return out


def line_safe(s):
    return "\\&" + s if s[:1] in (".", "'") else s


def header(name, title):
    return ['.TH %s 3 "" "libbytes" "libbytes Manual"' % name.upper(), ".nh", ".SH NAME",
            "%s \\- %s" % (esc(name), esc(title))]


def summary(doc):
    first = " ".join(re.split(r"\n\s*\n", doc.strip())[0].split()) if doc.strip() else ""
    m = re.match(r"(.+?[.:])(\s|$)", first)
    s = (m.group(1) if m else first).rstrip(".:").replace("`", "")
    if len(s) > 80 and " (" in s:
        s = s[:s.index(" (")]
    while len(s) > 80 and re.search(r"[,:;] ", s):
        s = s[:max(s.rfind(", "), s.rfind(": "), s.rfind("; "))]
    return s


def guide_examples(path):
    """{page name: [code]} from the guide's blocks tagged man=NAME,..."""
    examples = {}
    if not path:
        return examples
    with open(path) as f:
        text = f.read()
    for m in re.finditer(r"^```([^\n]*)\n(.*?)^```\s*$", text, re.S | re.M):
        for word in m.group(1).split():
            if word.startswith("man="):
                for name in word[4:].split(","):
                    examples.setdefault(name, []).append(m.group(2))
    return examples


def man_page(d, decls, rules, examples=()):
    doc = d.doc or d.section_doc
    lines = header(d.name, summary(doc))
    lines += [".SH SYNOPSIS", ".nf", "#include <bytes.h>", ""]
    lines += [line_safe(esc(x)) for x in d.code.split("\n")]
    lines += [".fi", ".SH DESCRIPTION"]
    if d.doc and d.section_doc:
        lines += para_lines(d.section_doc)
    lines += para_lines(without_errors(doc) if d.returns == STATUS_RETURN else doc)
    if d.fields:
        lines += [".PP", "Fields:" if d.code.startswith("typedef struct") else "Values:"]
        for field, fdoc in d.fields:
            lines += [".TP", "\\fB%s\\fR" % esc(field), line_safe(inline(" ".join(fdoc.split())) or "\\&")]
    if d.kind == "inline":
        lines += [".PP", "A static inline function of the header: no symbol in the library."]
    if d.returns == STATUS_RETURN:
        clauses, note = error_clauses(errors_paragraph(d.doc))
        lines += [".SH RETURN VALUE", ".TP", "\\fBBYTES_OK\\fR", "Success."]
        for names, meaning in clauses:
            lines += [".TP", "\\fB%s\\fR" % esc(names), line_safe(inline(meaning))]
        internal = decls.get("bytes_status_t")
        internal_doc = [f for f in (internal.fields if internal else []) if f[0].startswith("BYTES_ERR_INTERNAL")]
        if internal_doc:
            lines += [".TP", "\\fBBYTES_ERR_INTERNAL\\fR", line_safe(inline(" ".join(internal_doc[0][1].split())))]
        if note:
            lines += [".PP", line_safe(inline(note[0].upper() + note[1:] + ("" if note.endswith(".") else ".")))]
        lines += [".PP", line_safe(inline("Rule 4: " + rules.get(4, "")))]
        io = [meaning for names, meaning in clauses if "BYTES_ERR_IO" in names]
        if io:
            lines += [".SH ERRORS", ".PP", line_safe(inline("On `BYTES_ERR_IO`, `errno` holds the cause: " + io[0] + "."))]
    lines += [".SH THREADS", ".PP", line_safe(inline(threads_text(d, rules)))]
    for code in examples:
        lines += [".SH EXAMPLE", ".PP", "From the guide (compiled and run by the test suite):", ".PP", ".nf"]
        lines += [line_safe(esc(x)) if x.strip() else "" for x in code.rstrip("\n").split("\n")]
        lines += [".fi"]
    seealso = ["libbytes"]
    for ref in re.findall(r"\b(bytes_\w+)\b", doc + d.code):
        ref = ref.rstrip("_")
        if ref != d.name and ref in decls and ref not in seealso:
            seealso.append(ref)
    lines += [".SH SEE ALSO", ",\n".join("\\fB%s\\fR(3)" % esc(s) for s in seealso)]
    return "\n".join(lines) + "\n"


def threads_text(d, rules):
    rule8 = rules.get(8, "")
    if d.kind == "type":
        return "Rule 8: " + rule8
    params = d.code[d.code.find("(") + 1:]
    handles = re.findall(r"(const )?struct (bytes_\w+)\s*\*", params)
    handles += re.findall(r"(const )?(bytes_queue_t|bytes_mut_t|bytes_t)\s*\*", params)
    own = [c for c in re.split(r"(?<=\.)\s+", " ".join((d.doc or d.section_doc).split())) if "thread" in c]
    if any(not c for c, _ in handles):
        rule = "Needs exclusive access to the handles it takes by non-const pointer"
    elif handles:
        rule = "Takes its handles by const pointer: may run on many threads at once"
    else:
        rule = "Takes no handle"
    return " ".join(own + [rule + " (rule 8: " + rule8 + ")"])


def parse_rules(top):
    rules = {}
    for m in re.finditer(r"^\s*(\d+)\.\s+(.*?)(?=^\s*\d+\.\s|\n\n|\Z)", top, re.S | re.M):
        rules[int(m.group(1))] = " ".join(m.group(2).split())
    return rules


def overview(top, decls):
    lines = header("libbytes", "cheap reference-counted zero-copy byte buffers for C")
    paras = re.split(r"\n\s*\n", top)
    lines += [".SH SYNOPSIS", ".nf", "#include <bytes.h>", "", "cc ... \\-lbytes", ".fi", ".SH DESCRIPTION"]
    intro = paras[0].split("\n")[0]
    lines += [".PP", inline(intro.split(":", 1)[1].strip() if ":" in intro else intro)]
    for p in paras[1:]:
        if p.startswith("Generated") or p.startswith("Rules every"):
            if p.startswith("Rules every"):
                lines += [".SH RULES", ".PP", "Rules every function follows (cited as \"rule N\"):"]
                for n, r in sorted(parse_rules(p).items()):
                    lines += [".IP %d. 4" % n, line_safe(inline(r))]
            continue
        lines += para_lines(p)
    rules = parse_rules(top)
    lines += [".SH OWNERSHIP", ".PP", inline("Rules 1, 2, 3 and 7: " + " ".join(rules[n] for n in (1, 2, 3, 7)))]
    lines += [".SH THREADS", ".PP", inline("Rule 8: " + rules.get(8, ""))]
    status = decls.get("bytes_status_t")
    lines += [".SH ERRORS", ".PP", inline("Rule 4: " + rules.get(4, ""))]
    if status:
        lines += para_lines(status.doc)
        for field, fdoc in status.fields:
            lines += [".TP", "\\fB%s\\fR" % esc(field), line_safe(inline(" ".join(fdoc.split())))]
    lines += [".SH SEE ALSO"]
    groups = [("Types", [d for d in decls.values() if d.kind == "type"]),
              ("Functions", [d for d in decls.values() if d.kind == "function"]),
              ("Static inline functions", [d for d in decls.values() if d.kind == "inline"])]
    for title, ds in groups:
        lines += [".PP", title + ":", ",\n".join("\\fB%s\\fR(3)" % esc(d.name) for d in sorted(ds, key=lambda d: d.name))]
    return "\n".join(lines) + "\n"


def generate(header_path, outdir, guide=None):
    with open(header_path) as f:
        top, decls = parse(f.read())
    rules = parse_rules(top)
    examples = guide_examples(guide)
    unknown = sorted(set(examples) - set(decls))
    if unknown:
        raise SystemExit("gen-man: %s: man= names no page: %s" % (guide, ", ".join(unknown)))
    os.makedirs(outdir, exist_ok=True)
    for d in decls.values():
        with open(os.path.join(outdir, d.name + ".3"), "w") as f:
            f.write(man_page(d, decls, rules, examples.get(d.name, [])))
    with open(os.path.join(outdir, "libbytes.3"), "w") as f:
        f.write(overview(top, decls))
    return len(decls) + 1


def check(header_path, symbols_path):
    with open(header_path) as f:
        _, decls = parse(f.read())
    with open(symbols_path) as f:
        symbols = sorted({s.split()[-1] for s in f if s.split() and s.split()[-1].startswith("bytes_")})
    problems = []
    for s in symbols:
        d = decls.get(s)
        if d is None or d.kind != "function":
            problems.append("%s: exported but not declared in %s" % (s, header_path))
        elif not documented(d):
            problems.append("%s: no doc comment" % s)
        elif d.returns == STATUS_RETURN and not error_clauses(errors_paragraph(d.doc))[0]:
            problems.append("%s: returns bytes_status_t but its doc comment lists no error (an \"Errors:\" paragraph naming each BYTES_ERR_*)" % s)
        elif d.returns == STATUS_RETURN:
            para = errors_paragraph(d.doc)
            listed = {n for names, _ in error_clauses(para)[0] for n in names.split("/")}
            named = set(re.findall(r"BYTES_ERR_\w+", para))
            if named - listed:
                problems.append("%s: the Errors paragraph names %s outside a \"`STATUS` if ...\" clause" % (s, ", ".join(sorted(named - listed))))
    for d in decls.values():
        if not documented(d):
            problems.append("%s: declared without a doc comment" % d.name)
    for p in problems:
        print("undocumented: " + p, file=sys.stderr)
    if not symbols:
        print("no bytes_ symbols in %s" % symbols_path, file=sys.stderr)
        return 1
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--check":
        return check(argv[2], argv[3])
    if len(argv) in (3, 4):
        n = generate(argv[1], argv[2], argv[3] if len(argv) == 4 else None)
        print("gen-man: %d pages in %s" % (n, argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
