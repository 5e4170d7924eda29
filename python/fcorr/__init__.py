"""fcorr: which f-divergence does a loss train?

A loss g(t) on the residual t = log q - log p_theta trains the f-divergence
D_f(q || p_theta) = E_p[f(q/p)] whose generator is f(u) = u * int_0^{ln u} g'(s) e^{-s} ds
(Hu et al., ICLR 2025). This package derives one side from the other, checks claims,
and verifies a loss written as numpy code::

    >>> import fcorr
    >>> fcorr.from_loss("t^2").f
    '2*u - 2 - 2*log(u)'
    >>> bool(fcorr.verify(lambda t: t**2 / 2, "reverse-kl"))
    True

Residuals are named "target-minus-model" (t = log q - log p, the default) or
"model-minus-target" (the trajectory-balance form; the loss is reflected).
"""

import html as _html
import json as _json

import numpy as _np

from . import _fcorr
from ._fcorr import (
    DomainError,
    FcorrError,
    InputError,
    InternalError,
    LimitError,
    NoClosedFormError,
    ParameterError,
    UnknownParameterError,
    InvalidParameterError,
    ParseError,
    QuadratureError,
    UndefinedError,
    Verdict,
)

__all__ = [
    "Pair",
    "Family",
    "Verdict",
    "family_from_loss",
    "family_from_divergence",
    "from_loss",
    "from_divergence",
    "check",
    "verify",
    "variance",
    "FcorrError",
    "ParseError",
    "ParameterError",
    "UnknownParameterError",
    "InvalidParameterError",
    "UndefinedError",
    "DomainError",
    "NoClosedFormError",
    "QuadratureError",
    "LimitError",
    "InputError",
    "InternalError",
]


def _params(params):
    if params is None:
        return []
    if isinstance(params, dict):
        return [f"{k}={v}" for k, v in params.items()]
    if isinstance(params, str):
        return [params]
    return [str(p) for p in params]


class Pair:
    """A loss g(t) and the divergence generator f(u) it trains, with fcorr's analysis."""

    __slots__ = ("_inner",)

    def __init__(self, inner):
        self._inner = inner

    @property
    def f(self):
        """f(u) in plain text, or None when it has no closed form."""
        return self._inner.f

    @property
    def g(self):
        """g(t) on t = log q - log p in plain text, or None when it has no closed form."""
        return self._inner.g

    @property
    def closed_form(self):
        """Whether both sides are closed forms."""
        return self._inner.closed_form

    @property
    def identified(self):
        """Catalog keys of the named divergences f is, up to the class and a positive scale."""
        return list(self._inner.identified)

    @property
    def identified_offset(self):
        """The constant a of each entry of `identified`: D_f = k * D_named + a for normalised
        distributions (Jensen-Shannon is the GAN divergence plus 2 log 2)."""
        return list(self._inner.identified_offset)

    @property
    def holds(self):
        """Whether the gradient check proves the pair."""
        return self._inner.holds

    def f_at(self, points):
        """f at the ratios u > 0 (array-like in, numpy array of the same shape out).

        A value fcorr refuses (a numeric f outside [1e-12, 1e12], or whose quadrature does
        not reach its tolerance) is NaN, never a number that is not trusted.
        """
        u = _np.asarray(points, dtype=float)
        return _np.asarray(self._inner._f_at(u.ravel().tolist()), dtype=float).reshape(u.shape)

    def g_at(self, points):
        """g at the residuals t = log q - log p (array-like in, numpy array out).

        A value fcorr refuses (a numeric g outside [-40, 40], or whose quadrature does not
        reach its tolerance) is NaN, never a number that is not trusted.
        """
        t = _np.asarray(points, dtype=float)
        return _np.asarray(self._inner._g_at(t.ravel().tolist()), dtype=float).reshape(t.shape)

    def to_dict(self):
        """The report as a dict: the same keys as `fcorr --json`."""
        return _json.loads(self._inner._json())

    def __str__(self):
        return self._inner._text()

    def __repr__(self):
        return f"Pair(f={self.f!r}, g={self.g!r})"

    def _repr_latex_(self):
        return "$$\\begin{aligned}\n" + self._inner._latex() + "\n\\end{aligned}$$"

    def _repr_html_(self):
        return (
            '<div class="fcorr">'
            + self._inner._svg()
            + "<pre>"
            + _html.escape(self._inner._text())
            + "</pre></div>"
        )


def from_loss(expr, residual="target-minus-model", params=None):
    """Derive the divergence generator f(u) that the loss `expr` trains.

    `expr` is an expression in t (``"t^2"``) or a catalog name (``"linex"``);
    `params` is a dict ``{"alpha": "1/2"}`` or a list of ``"NAME=VALUE"``.
    """
    return Pair(_fcorr.from_loss(expr, residual, _params(params)))


def from_divergence(expr, residual="target-minus-model", params=None):
    """Derive the loss g(t) that trains the divergence generator `expr` (in u, or a name)."""
    return Pair(_fcorr.from_divergence(expr, residual, _params(params)))


class Family:
    """A family: an input with a parameter left symbolic, and its cases.

    ``cases`` is a list of dicts (``kind``: ``"generic"``, ``"value"``, ``"limit"`` or
    ``"undefined"``; ``conditions``; ``value``; ``member`` with ``loss`` and ``divergence``, or
    ``refused``), as the JSON report has them; ``to_dict()`` is the whole report.
    """

    __slots__ = ("_data", "_text")

    def __init__(self, data, text):
        self._data = data
        self._text = text

    @property
    def parameter(self):
        """The parameter left symbolic."""
        return self._data["parameter"]

    @property
    def cases(self):
        """The cases, the generic one first."""
        return self._data["cases"]

    @property
    def generic(self):
        """The generic case, or None when the assumptions exclude it."""
        return next((c for c in self.cases if c["kind"] == "generic"), None)

    @property
    def regions(self):
        """The analysis over the parameter, as the JSON's ``regions``: ``zero_forcing``,
        ``zero_avoiding`` and ``convex`` (each with ``holds``, ``fails`` and ``undecided``,
        lists of intervals ``{"lower", "upper"}`` whose ends are ``{"value": "1/2", "closed":
        True}`` or None for infinite), ``cells``, ``f_at_0``, ``f_prime_at_inf``,
        ``normalization`` and ``identified``; None when it could not be computed."""
        r = self._data.get("regions")
        return None if r is None or "refused" in r else r

    def at(self, value):
        """The case of the special value `value` (as text, ``"1"``, ``"1/2"``), or None."""
        return next((c for c in self.cases if c["value"] == str(value)), None)

    def to_dict(self):
        """The report as the JSON output has it."""
        return self._data

    def __str__(self):
        return self._text

    def __repr__(self):
        return f"<fcorr.Family in {self.parameter}: {len(self.cases)} cases>"


def _assume(assume):
    if assume is None:
        return []
    if isinstance(assume, str):
        return [assume]
    return [str(a) for a in assume]


def family_from_loss(expr, residual="target-minus-model", params=None, assume=None):
    """Derive the family of the loss `expr` with its one parameter left symbolic.

    `expr` is an expression in t with a parameter (``"(exp(a*t) - a*t - 1)/a^2"``) or a
    catalog family (``"linex"``); `params` gives values to other parameters; `assume` is a
    condition or a list of them (``"a > 0"``, ``"a integer"``).
    """
    data, text = _fcorr._family(expr, True, residual, _params(params), _assume(assume))
    return Family(_json.loads(data), text)


def family_from_divergence(expr, residual="target-minus-model", params=None, assume=None):
    """Derive the family of the divergence generator `expr` (in u, or ``"alpha"``)."""
    data, text = _fcorr._family(expr, False, residual, _params(params), _assume(assume))
    return Family(_json.loads(data), text)


def check(loss, claimed, residual="target-minus-model", params=None):
    """Check the claim that the loss `loss` trains the divergence `claimed`.

    Returns a Verdict: ``.holds``, ``.max_rel_error`` (of the gradient check against the
    claimed generator), ``.shift`` (c in F = f + a + c(u - 1), as text), ``.offset`` (a, as
    text), ``.trains`` with ``.trains_scale`` and ``.trains_offset`` (D_f = k * D_named + a).
    """
    return _fcorr.check(loss, claimed, residual, _params(params))


def verify(fn, claimed, residual="target-minus-model", params=None, grad=None):
    """Verify that a loss written as code trains the divergence `claimed`.

    `fn` maps a numpy array of residuals to the per-element losses (wrap a torch or jax
    function to take and return numpy). With `grad`, the derivative of the loss with respect
    to the residual, no finite differences are taken. The verdict holds when
    g'(t) = k * (u f'(u) - f(u)) + c on a grid of residuals with k > 0; ``.trains`` names
    what the function trains instead when it does not.
    """
    target = fn if grad is None else grad

    def batch(xs):
        ys = _np.asarray(target(_np.asarray(xs, dtype=float)), dtype=float)
        return _np.broadcast_to(ys, (len(xs),)).tolist()

    return _fcorr._verify(batch, claimed, residual, _params(params), grad is not None)


def _arrays(value):
    """JSON lists of numbers as numpy arrays, recursively."""
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
            return _np.asarray(value, dtype=float)
        return [_arrays(v) for v in value]
    return value


def variance(
    losses=(),
    divergences=(),
    *,
    logits,
    target,
    shifts=(0.0,),
    behaviour=None,
    residual="target-minus-model",
    params=None,
    samples=None,
    seed=1,
):
    """The gradient noise of each loss on the softmax model p = softmax(logits), target q.

    Exact finite sums (the same report as ``fcorr variance --json``): the gradient of
    D_f(q || p), the trace V(c) of the score-function estimator's covariance at each shift c,
    the optimal shift and, with ``behaviour`` (``"uniform"``, ``"tempered:T"``,
    ``"mix-uniform:L"``, ``"mix-target:L"``, ``"target"`` or probabilities), the off-policy
    bias, largest weight, effective sample size and support mismatch. Lists of numbers in the
    result are numpy arrays.

    >>> r = variance(["t^2"], logits=[0, 1, 2], target=[1, 1, 2], shifts=[0, 1])
    >>> r["gradient"].shape
    (3,)
    """
    if isinstance(losses, str):
        losses = [losses]
    if isinstance(divergences, str):
        divergences = [divergences]
    name, probs = None, None
    if isinstance(behaviour, str):
        name = behaviour
    elif behaviour is not None:
        probs = [float(x) for x in _np.asarray(behaviour, dtype=float).ravel()]

    def floats(xs):
        return [float(x) for x in _np.asarray(xs, dtype=float).ravel()]

    text = _fcorr._variance(
        list(losses),
        list(divergences),
        floats(logits),
        floats(target),
        floats(shifts),
        name,
        probs,
        residual,
        _params(params),
        samples,
        int(seed),
    )
    return _arrays(_json.loads(text))
