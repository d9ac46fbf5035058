"""Progress of a running experiment in a notebook or a terminal: a tqdm bar when tqdm is
installed (its notebook widget under Jupyter), else one line on stderr that rewrites
itself. The engine calls it with (runs done, runs in all) from the thread running the
experiment, holding the GIL only for the call."""

import sys
import time

try:
    from tqdm.auto import tqdm as _tqdm
except ImportError:  # tqdm is optional
    _tqdm = None


class Bar:
    def __init__(self, what, stream=None, force_line=False):
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.use_tqdm = _tqdm is not None and not force_line
        self.bar = None
        self.start = self.last = None
        self.first = 0
        self.width = 0
        self.ended = False

    def __call__(self, done, total):
        if self.use_tqdm:
            if self.bar is None:
                self.bar = _tqdm(total=total, initial=done, desc=self.what, unit="run")
            else:
                self.bar.update(done - self.bar.n)
            return
        now = time.monotonic()
        if self.start is None:
            self.start, self.first = now, done
        elif done < total and now - self.last < 0.2:
            return
        self.last = now
        # Like the command line's line: the rate counts only the runs done in this call.
        secs = now - self.start
        rate = (done - self.first) / secs if secs > 0 else 0.0
        left = f", {(total - done) / rate:.0f} s left" if rate > 0 and done < total else ""
        text = f"{self.what}: {done}/{total} runs" + (f", {rate:.1f} runs/s" if rate > 0 else "") + left
        self.stream.write("\r" + text.ljust(self.width))
        self.width = len(text)
        if done >= total:
            self.stream.write("\n")
            self.ended = True
        self.stream.flush()

    def close(self):
        if self.bar is not None:
            self.bar.close()
        elif self.width and not self.ended:  # interrupted: end the line
            self.stream.write("\n")
            self.stream.flush()
