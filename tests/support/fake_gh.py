"""A stand-in for ``gh api``, backed by a JSON file (``FAKE_GH_STATE``): the GitHub API calls
the example workflow's comment step makes, and nothing else.

- ``gh api --paginate repos/OWNER/REPO/issues/N/comments``: the issue's comments, printed as
  GitHub's pages are (one JSON array per page of two, back to back);
- ``gh api --method POST repos/OWNER/REPO/issues/N/comments -F body=@FILE``: a new comment
  by ``github-actions[bot]``;
- ``gh api --method PATCH repos/OWNER/REPO/issues/comments/ID -F body=@FILE``: an edit.

Every call is recorded under ``calls``; anything else, or no ``GH_TOKEN``, fails as gh does.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

BOT = "github-actions[bot]"
PAGE = 2


def _fail(message: str) -> int:
    print(f"gh: {message}", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    path = Path(os.environ["FAKE_GH_STATE"])
    state: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    state.setdefault("comments", [])
    state.setdefault("calls", [])
    if not argv or argv[0] != "api":
        return _fail("only `gh api` is emulated")
    method, route, fields = "GET", None, {}
    args = iter(argv[1:])
    for arg in args:
        if arg == "--paginate":
            continue
        if arg in ("--method", "-X"):
            method = next(args)
        elif arg in ("-F", "--field"):
            key, value = next(args).split("=", 1)
            fields[key] = Path(value[1:]).read_text() if value.startswith("@") else value
        else:
            route = arg
    state["calls"].append([method, route])
    path.write_text(json.dumps(state, indent=2))
    if not os.environ.get("GH_TOKEN"):
        return _fail("no GH_TOKEN")
    listing = re.fullmatch(r"repos/([\w.-]+/[\w.-]+)/issues/(\d+)/comments", route or "")
    edit = re.fullmatch(r"repos/([\w.-]+/[\w.-]+)/issues/comments/(\d+)", route or "")
    comments = state["comments"]
    if listing and method == "GET":
        repo, issue = listing.group(1), int(listing.group(2))
        mine = [
            {"id": c["id"], "body": c["body"], "user": {"login": c["user"]}}
            for c in comments
            if c["repo"] == repo and c["issue"] == issue
        ]
        pages = [mine[i : i + PAGE] for i in range(0, len(mine), PAGE)] or [[]]
        sys.stdout.write("".join(json.dumps(page) for page in pages) + "\n")
    elif listing and method == "POST":
        new = {
            "id": 1000 + len(comments),
            "repo": listing.group(1),
            "issue": int(listing.group(2)),
            "user": BOT,
            "body": fields["body"],
        }
        comments.append(new)
        print(json.dumps({"id": new["id"]}))
    elif edit and method == "PATCH":
        found = [c for c in comments if c["id"] == int(edit.group(2))]
        if not found:
            return _fail("HTTP 404: Not Found")
        found[0]["body"] = fields["body"]
        print(json.dumps({"id": found[0]["id"]}))
    else:
        return _fail(f"not emulated: {method} {route}")
    path.write_text(json.dumps(state, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
