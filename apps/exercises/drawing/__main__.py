"""Write static/exercises/<slug>.svg for every library exercise (see the package docstring)."""

from . import write_all

if __name__ == "__main__":
    for path in write_all():
        print(path)
