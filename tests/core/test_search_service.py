"""The start KB's search process (``core.search.service``): same answers as the index in the window's process,
and every way it can fail ends it and says why, so the window can open its own index instead."""

from __future__ import annotations

import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ldn_browser.core.kb import kb_digest, load_kb
from ldn_browser.core.paths import default_kb_path
from ldn_browser.core.search import SearchError, open_search_index
from ldn_browser.core.search import service as service_module
from ldn_browser.core.search.service import SERVICE_FLAG, RemoteSearchIndex, SearchService, ServiceError

# As clinicians type them: abbreviations, misspellings, brands, a question, a citation, a lay phrase.
QUERIES = (
    "crohns",
    "RA",
    "fibromyalga",
    "vivid dreams",
    "Percocet",
    "can I take ldn with tramadol?",
    "Younger 2013",
    "sjogren",
    "insomnia",
    "warfarin",
    "zzqx",
)


def _connect(kb_path: Path, cache: Path) -> RemoteSearchIndex:
    service = SearchService.start(kb_path)
    assert service is not None
    return service.connect(cache, lambda: kb_digest(load_kb(kb_path)))


def test_the_service_answers_exactly_as_the_index_in_this_process(tmp_path: Path) -> None:
    remote = _connect(default_kb_path(), tmp_path / "service-cache")
    try:
        assert remote.location is not None and remote.location.name == "prebuilt"  # the build-time index
        with open_search_index(load_kb(default_kb_path()), tmp_path / "local-cache") as local:
            for query in QUERIES:
                assert remote.search(query, 30) == local.search(query, limit=30), query
            assert remote.search("crohns", 3) == local.search("crohns", limit=3)  # the limit is the caller's
    finally:
        remote.close()
    assert not remote.service.running


def test_a_kb_without_a_prebuilt_index_is_built_in_the_service_with_progress(
    tmp_path: Path, mini_kb_path: Path
) -> None:
    service = SearchService.start(mini_kb_path)
    assert service is not None
    seen: list[tuple[int, int]] = []
    remote = service.connect(tmp_path, lambda: kb_digest(load_kb(mini_kb_path)), lambda d, t: seen.append((d, t)))
    try:
        assert remote.built_now and remote.location is not None and remote.location.parent == tmp_path
        assert seen and seen[-1][0] == seen[-1][1] == len(load_kb(mini_kb_path).entries())
        with open_search_index(load_kb(mini_kb_path), tmp_path) as local:  # the cache the service wrote
            assert not local.built_now
            assert remote.search("naltrexone", 30) == local.search("naltrexone", limit=30)
    finally:
        remote.close()


def test_a_service_of_another_kb_is_refused_and_ended(tmp_path: Path, mini_kb_path: Path) -> None:
    service = SearchService.start(mini_kb_path)
    assert service is not None
    with pytest.raises(ServiceError, match="another version of the knowledge base"):
        service.connect(tmp_path, lambda: kb_digest(load_kb(default_kb_path())))
    assert not service.running


def test_an_invalid_kb_is_reported_with_its_file_and_the_service_ends(tmp_path: Path) -> None:
    bad = tmp_path / "broken kb.json"
    bad.write_text('{"meta": {', encoding="utf-8")
    service = SearchService.start(bad)
    assert service is not None
    with pytest.raises(ServiceError, match=r"could not open the index: KbError.*broken kb\.json"):
        service.connect(tmp_path, lambda: "unused")
    assert not service.running


def test_a_service_that_ended_makes_search_fail_with_the_cache_discarded(tmp_path: Path, mini_kb_path: Path) -> None:
    """The window then opens an index of its own and asks again (SearchController.run)."""
    remote = _connect(mini_kb_path, tmp_path)
    remote.service._process.kill()  # noqa: SLF001 - a crash, as the OS would end it
    remote.service._process.wait()  # noqa: SLF001
    with pytest.raises(SearchError, match="search service ended") as failed:
        remote.search("naltrexone", 30)
    assert failed.value.cache_discarded


def test_a_service_that_does_not_answer_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(service_module, "OPEN_TIMEOUT_S", 0.5)
    silent = [sys.executable, "-c", "import time; time.sleep(60)"]
    service = SearchService.start(tmp_path / "kb.json", command=silent)
    assert service is not None
    with pytest.raises(ServiceError, match="did not answer in time"):
        service.connect(tmp_path, lambda: "unused")
    assert not service.running  # killed: it did not end when its stdin closed


def test_a_service_that_cannot_start_is_none(tmp_path: Path) -> None:
    assert SearchService.start(tmp_path / "kb.json", command=[str(tmp_path / "no-such-program")]) is None


def test_the_service_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, mini_kb_path: Path) -> None:
    monkeypatch.setenv(service_module.DISABLE_ENV, "0")
    assert SearchService.start(mini_kb_path) is None


def test_the_service_ends_when_the_window_goes_before_asking(mini_kb_path: Path) -> None:
    """Its stdin closes when the window's process ends, however it ends: it never outlives the app."""
    proc = subprocess.Popen(service_module.service_command(mini_kb_path), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stdout.read() == b""  # nothing was sent: nothing was asked
    proc.stdout.close()


def test_what_the_service_prints_does_not_break_its_answers(tmp_path: Path, mini_kb_path: Path) -> None:
    """Anything printed in the service (a library's print) goes to stderr, never between the frames."""
    code = textwrap.dedent(
        """
        import builtins, sys
        real = builtins.print
        from ldn_browser.core.search import index
        search = index.SearchIndex.search
        def noisy(self, *a, **k):
            real("noise on stdout")
            return search(self, *a, **k)
        index.SearchIndex.search = noisy
        from ldn_browser.core.search.service import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    service = SearchService.start(mini_kb_path, command=[sys.executable, "-c", code, str(mini_kb_path)])
    assert service is not None
    remote = service.connect(tmp_path, lambda: kb_digest(load_kb(mini_kb_path)))
    try:
        assert remote.search("naltrexone", 30).hits
        assert remote.search("naltrexone", 30).hits  # the next frame is still in step
    finally:
        remote.close()


def test_the_command_line_runs_the_service(tmp_path: Path, mini_kb_path: Path) -> None:
    """``ldn-browser --search-service KB`` (how the frozen bundle runs it) reaches the service, not the CLI."""
    assert service_module.service_command(mini_kb_path)[-2:] == [SERVICE_FLAG, str(mini_kb_path)]
    remote = _connect(mini_kb_path, tmp_path)
    try:
        assert remote.search("naltrexone", 30).hits
    finally:
        remote.close()


def test_the_service_reports_its_memory_and_ends_with_its_stdin(tmp_path: Path, mini_kb_path: Path) -> None:
    """The benchmark measures the window and its search process alike: current RSS after a collection, and peak."""
    remote = _connect(mini_kb_path, tmp_path)
    memory = remote.service.memory()
    assert 5 < memory["rss_mb"] <= memory["peak_rss_mb"] < 1000
    assert remote.search("naltrexone", 30).hits  # still in step after the stats frame
    stdin = remote.service._process.stdin  # noqa: SLF001 - as when the window's process ends, however it ends
    assert stdin is not None
    stdin.close()
    assert remote.service._process.wait(timeout=30) == 0  # noqa: SLF001
    remote.close()


def test_the_service_opens_the_bundled_index_before_the_window_asks(tmp_path: Path) -> None:
    """The window says where its cache is only once its pages are built; the prebuilt index needs none, so the
    service has the KB and that index open by then and answers the open request at once (issue 19)."""
    code = textwrap.dedent(
        """
        import sys
        from ldn_browser.core.search import cache
        opened = cache.open_prebuilt_index
        def announce(*a, **k):
            found = opened(*a, **k)
            print("prebuilt index open" if found is not None else "no prebuilt index", file=sys.stderr, flush=True)
            return found
        cache.open_prebuilt_index = announce
        from ldn_browser.core.search.service import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    kb_path = default_kb_path()
    pipe = subprocess.PIPE
    proc = subprocess.Popen([sys.executable, "-c", code, str(kb_path)], stdin=pipe, stdout=pipe, stderr=pipe)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        ready, _, _ = select.select([proc.stderr], [], [], 20)  # nothing has been asked yet
        assert ready and proc.stderr.readline() == b"prebuilt index open\n"
        service_module.write_frame(proc.stdin, ("open", str(tmp_path)))
        reply = service_module.read_frame(proc.stdout, timeout=60)
        assert reply[0] == "ready" and reply[1]["location"].endswith("prebuilt")
        assert reply[1]["digest"] == kb_digest(load_kb(kb_path))
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
        proc.stdout.close()
        proc.stderr.close()
    assert not list(tmp_path.iterdir())  # the user cache was not needed


def test_without_a_cache_folder_the_service_keeps_its_index_in_memory(mini_kb_path: Path) -> None:
    """As in the window: no usable cache folder means an index in memory (not an error)."""
    service = SearchService.start(default_kb_path())
    assert service is not None
    remote = service.connect(None, lambda: kb_digest(load_kb(default_kb_path())))
    try:
        assert remote.location is None
        assert remote.search("crohns", 5).hits
    finally:
        remote.close()
