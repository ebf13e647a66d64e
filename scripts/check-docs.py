#!/usr/bin/env python3
"""Keeps the README and docs/ true to the tree: every relative link leads to a
file (and its #anchor to a heading there), every repository path written in
backticks exists (or is output git ignores), a guide picture is one the test
command makes (docs/guide/screenshots.list), and the README's two commands
are runnable scripts."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
ROOTS = ("src-tauri/", "scripts/", "tests/", "ui/src/", "docs/", ".ci/", "capabilities/", "icons/")


def slug(heading):
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    with open(path, encoding="utf-8") as f:
        return {slug(line.lstrip("#")) for line in f if line.startswith("#")}


def generated(path):
    """What a run produces (screenshots, builds) is ignored by git, not missing."""
    return subprocess.run(["git", "-C", ROOT, "check-ignore", "-q", path]).returncode == 0


def guide_screenshots():
    """The pictures the test command copies into docs/guide/screenshots/."""
    listed = os.path.join(ROOT, "docs", "guide", "screenshots.list")
    names = set()
    for line in open(listed, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            names.add(os.path.join(ROOT, "docs", "guide", "screenshots", parts[1]))
    return names


def documents():
    yield os.path.join(ROOT, "README.md")
    for folder, _, files in os.walk(os.path.join(ROOT, "docs")):
        for name in sorted(files):
            if name.endswith(".md"):
                yield os.path.join(folder, name)


def main():
    problems = []
    pictures = guide_screenshots()
    for doc in documents():
        shown = os.path.relpath(doc, ROOT)
        text = open(doc, encoding="utf-8").read()
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
            if resolved in pictures:
                continue  # made by the test run from docs/guide/screenshots.list
            if not os.path.exists(resolved):
                problems.append(f"{shown}: the link {target} leads nowhere")
            elif anchor and os.path.isfile(resolved) and anchor not in anchors(resolved):
                problems.append(f"{shown}: {target} names no heading of {os.path.relpath(resolved, ROOT)}")
        for token in CODE.findall(text):
            path = token.rstrip(".,:;)")
            if not path.startswith(ROOTS) or any(c in path for c in "*<>{}…$"):
                continue
            if not os.path.exists(os.path.join(ROOT, path)) and not generated(path):
                problems.append(f"{shown}: `{path}` is not in the repository")
    for command in ("scripts/run.sh", "scripts/test.sh"):
        if not os.access(os.path.join(ROOT, command), os.X_OK):
            problems.append(f"README.md: {command} is not an executable script")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"docs: every link and path of {len(list(documents()))} documents holds")


main()
