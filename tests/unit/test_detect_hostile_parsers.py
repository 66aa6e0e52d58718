"""Build files shaped to exhaust the stack or memory stop with an InputError naming the line."""

from __future__ import annotations

import pytest

from scaffolder._repo import Repo
from scaffolder.errors import InputError
from scaffolder.providers import cpp, go

from tests.helpers import tree

MAIN_CPP = "int main() { return 0; }\n"


@pytest.mark.parametrize(
    ("files", "provider", "message"),
    [
        ({"CMakeLists.txt": "project(p)\n" + "if(A)\n" * 5000 + "endif()\n" * 5000, "main.cpp": MAIN_CPP},
         cpp, r"^CMakeLists.txt:102: blocks and calls nested deeper than 100 levels"),
        ({"CMakeLists.txt": "project(p)\nset(a x)\n" + "set(a ${a}${a})\n" * 31 + "add_executable(${a} main.cpp)\n",
          "main.cpp": MAIN_CPP}, cpp, r"^CMakeLists.txt:\d+: variables expand past 1000000 characters"),
        ({"CMakeLists.txt": "project(p)\nset(a x)\nforeach(i RANGE 1)\n" + "list(APPEND a ${a})\n" * 40 + "endforeach()\n",
          "main.cpp": MAIN_CPP}, cpp, r"^CMakeLists.txt:\d+: variables expand past"),
        ({"CMakeLists.txt": "project(p)\nfunction(f)\n  if(A)\n    f()\n  endif()\nendfunction()\nf()\n", "main.cpp": MAIN_CPP},
         cpp, None),  # recursion through a function stops at the call depth, quietly
        ({"meson.build": "project('p', 'cpp')\nx = " + "[" * 5000 + "]" * 5000 + "\n", "main.cpp": MAIN_CPP},
         cpp, r"^meson.build:2: brackets nested deeper than 100 levels"),
        ({"meson.build": "project('p', 'cpp')\nx = " + "f(" * 5000 + ")" * 5000 + "\n", "main.cpp": MAIN_CPP},
         cpp, r"^meson.build:2: brackets nested deeper"),
        ({"go.mod": "module m\n\ngo 1.22\n", "main.go": "//go:build " + "(" * 5000 + "linux" + ")" * 5000 + "\n\npackage main\n\nfunc main() {}\n"},
         go, r"^main.go:1: //go:build expression nested deeper than 100 levels"),
        ({"go.mod": "module m\n\ngo 1.22\n", "x/a.go": "// comment\n//go:build " + "!" * 5000 + "linux\n\npackage main\n\nfunc main() {}\n"},
         go, r"^x/a.go:2: //go:build expression nested deeper"),
    ],
    ids=["cmake-nested-if", "cmake-set-doubling", "cmake-list-append-doubling", "cmake-recursive-function",
         "meson-nested-list", "meson-nested-call", "go-build-parens", "go-build-negations"],
)
def test_hostile_build_files(tmp_path, files, provider, message):
    tree(tmp_path, files)
    if message is None:
        assert provider.detect(Repo(tmp_path)) is not None
        return
    with pytest.raises(InputError, match=message) as err:
        provider.detect(Repo(tmp_path))
    assert len(str(err.value)) < 200


def test_reasonable_nesting_still_reads(tmp_path):
    tree(tmp_path, {
        "CMakeLists.txt": "project(p)\n" + "if(A)\n" * 40 + "add_executable(app main.cpp)\n" + "endif()\n" * 40,
        "main.cpp": MAIN_CPP,
    })
    det = cpp.detect(Repo(tmp_path))
    assert det is not None and {f.name: f.value for f in det.facts}.get("cpp_target") == "app"
