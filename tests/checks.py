"""What the scripted tests share: named checks (each runs, its failure is reported with its
name, and the script fails at the end if any did, so one run reports every failure), and
the comparison of two result files dataset by dataset."""
import h5py
import numpy as np

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


def datasets(path):
    """Every dataset of an HDF5 file, by path."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def same_datasets(a, b):
    """The two files hold the same datasets with the same values (NaN equal to NaN)."""
    da, db = datasets(a), datasets(b)
    assert da.keys() == db.keys(), (sorted(da), sorted(db))
    for k in da:
        x, y = da[k], db[k]
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), k
        else:
            assert np.array_equal(x, y), k
