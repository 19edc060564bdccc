"""breachscope: healthcare data-breach response, from copied files to every notice."""

from breachscope.case import Case, Client, load_case
from breachscope.errors import BreachscopeError, CaseFileError

__version__ = "0.1.0"
__all__ = ["BreachscopeError", "Case", "CaseFileError", "Client", "__version__", "load_case"]
