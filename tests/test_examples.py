"""Every example project in tests/examples/ built and run with a real Docker engine.

See tests/docker_harness.py for what is checked and tests/examples/<name>/expect.toml for each
example's expectations. Slow: marked ``docker`` (``python -m pytest -m "not docker"`` skips it).
"""

from __future__ import annotations

import pytest

from tests.docker_harness import ExampleError, ExampleRun, example_dirs

EXAMPLES = example_dirs()


@pytest.mark.docker
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example(example, docker, tmp_path, request):
    run = ExampleRun(example, tmp_path, docker=docker)
    request.node.example_run = run  # conftest shows its Dockerfile and build log on failure
    try:
        failures = run.run_all()
    except ExampleError as exc:  # a step the checks depend on (init, base images, build) failed
        failures = [str(exc)]
    finally:
        run.cleanup()
    if failures:
        pytest.fail(f"{example.name}:\n" + "\n\n".join(failures), pytrace=False)
