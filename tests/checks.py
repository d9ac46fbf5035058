"""The named checks of the scripted tests: each check runs, its failure is reported with its
name, and the script fails at the end if any did (so one run reports every failure)."""

failures = []


def check(name):
    def wrap(f):
        try:
            f()
            print(f"ok   {name}")
        except Exception as e:  # report every check, then fail at the end
            failures.append(name)
            print(f"FAIL {name}: {e}")
        return f
    return wrap
