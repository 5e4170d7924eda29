"""The Python package over the facade: derivations, claims, losses written as numpy code."""

import numpy as np
import pytest

import fcorr


def test_from_loss_quadratic():
    pair = fcorr.from_loss("t^2")
    assert pair.f == "2*u - 2 - 2*log(u)"
    assert pair.closed_form and pair.holds
    assert pair.identified == ["reverse-kl"]


def test_identification_carries_its_constant():
    js, gan = fcorr.from_divergence("js"), fcorr.from_divergence("gan")
    assert js.identified == ["js", "gan"] and gan.identified == ["js", "gan"]
    np.testing.assert_allclose(js.identified_offset, [0.0, 2 * np.log(2)], rtol=1e-15)
    np.testing.assert_allclose(gan.identified_offset, [-2 * np.log(2), 0.0], rtol=1e-15)
    ids = gan.to_dict()["identified"]
    assert [i["exact_offset"] for i in ids] == ["-2*log(2)", "0"]
    v = fcorr.check("-Li2(-exp(t))", "js")
    assert v.trains == ["js", "gan"]
    np.testing.assert_allclose(v.trains_offset, [0.0, 2 * np.log(2)], rtol=1e-15)


def test_canonical_member_is_normalised():
    canonical = fcorr.from_loss("exp(t)").to_dict()["canonical"]
    assert canonical["expr"] == "u*log(u) - u + 1"
    assert canonical["loss"] == "exp(t) - t - 1"


def test_from_divergence_with_params():
    pair = fcorr.from_divergence("alpha", params={"alpha": "1/2"})
    assert pair.g == "4*exp(t/2) - 2*t - 4"
    assert fcorr.from_divergence("alpha", params=["alpha=1/2"]).g == pair.g


def test_values_numpy_in_numpy_out():
    pair = fcorr.from_loss("t^2")
    u = np.array([[0.5, 1.0], [2.0, 4.0]])
    f = pair.f_at(u)
    assert isinstance(f, np.ndarray) and f.shape == (2, 2)
    np.testing.assert_allclose(f, 2 * u - 2 - 2 * np.log(u), rtol=1e-14)
    t = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(pair.g_at(t), t**2, rtol=1e-14)


def test_derived_side_values():
    # f given, g derived: g = exp(t) - 1 for f = u log u.
    pair = fcorr.from_divergence("kl")
    t = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_allclose(pair.g_at(t), np.exp(t) - 1, rtol=1e-12, atol=1e-14)


def test_to_dict_is_the_report():
    d = fcorr.from_loss("t^2").to_dict()
    assert d["residual"] == "target-minus-model"
    assert d["divergence"]["expr"] == "2*u - 2 - 2*log(u)"
    assert d["closed_form"] is True


def test_the_loss_on_each_residual_is_in_its_own_variable():
    d = fcorr.from_divergence("kl", residual="model-minus-target").to_dict()
    assert d["residual"] == "model-minus-target"
    assert d["residual_formula"] == "t = log q − log pθ"
    assert d["loss"]["expr"] == "exp(t) - 1"
    assert d["model_minus_target"]["residual_formula"] == "r = log pθ − log q"
    assert d["model_minus_target"]["loss"] == "exp(-r) - 1"
    assert fcorr.from_divergence("kl").to_dict()["model_minus_target"] is None


def test_notebook_reprs():
    pair = fcorr.from_loss("exp(t) - t - 1")
    assert "<svg" in pair._repr_html_()
    assert pair._repr_latex_().startswith("$$")


def test_check_claims():
    assert fcorr.check("exp(t) - t - 1", "kl").holds
    assert fcorr.check("t^2/2", "reverse-kl").shift == "-1"
    trap = fcorr.check("exp(t) - t - 1", "kl", residual="model-minus-target")
    assert not trap.holds and trap.verdict == "fails"
    assert "neyman" in trap.trains


def test_a_claim_holds_up_to_an_affine_term():
    # GAN's own loss: the derived f is the claimed one plus a + c(u - 1), with a = c = -2 log 2.
    gan = fcorr.check("-pi^2/12 - 2*log(2) - Li2(-exp(t))", "gan")
    assert gan.holds and gan.offset == "-2*log(2)" and gan.shift == "-2*log(2)"
    assert fcorr.check("exp(t) - t - 1", "kl").offset == "0"
    assert fcorr.check("t^2", "kl").offset is None


def test_squared_trajectory_balance():
    # torchgfn's TB loss: (log Z + log P_F - log P_B - log R)^2 on r = log p - log q.
    def tb_loss(r):
        return r**2

    v = fcorr.verify(tb_loss, "reverse-kl", residual="model-minus-target")
    assert v.holds and v.verdict == "holds"
    assert v.scale == pytest.approx(2.0, rel=1e-8)
    assert v.trains == ["reverse-kl"]


def test_linex_target_minus_model_is_forward_kl():
    def linex(t):
        return np.exp(t) - t - 1

    assert fcorr.verify(linex, "kl").holds
    assert fcorr.verify(linex, "kl", grad=lambda t: np.exp(t) - 1).holds


def test_linex_model_minus_target_sign_trap():
    def linex(r):
        return np.exp(r) - r - 1

    v = fcorr.verify(linex, "kl", residual="model-minus-target")
    assert not v and v.verdict == "fails"
    assert v.max_rel_error > 0.1
    assert v.trains == ["neyman"]
    assert v.trains_scale[0] == pytest.approx(0.5, rel=1e-8)


def test_negative_scale_fails():
    assert not fcorr.verify(lambda t: -(t**2), "reverse-kl").holds


def test_parse_error_has_caret():
    with pytest.raises(fcorr.ParseError) as e:
        fcorr.from_loss("t^")
    assert "^" in str(e.value) and "t^" in str(e.value)
    assert isinstance(e.value, fcorr.FcorrError)


def test_unknown_parameter():
    with pytest.raises(fcorr.ParameterError, match="beta"):
        fcorr.from_loss("t^2", params={"beta": 1})


def test_parameter_kinds():
    with pytest.raises(fcorr.UnknownParameterError, match="beta"):
        fcorr.from_loss("t^2", params={"beta": 1})
    with pytest.raises(fcorr.UnknownParameterError, match="`a`"):
        fcorr.from_loss("a*t^2")
    with pytest.raises(fcorr.InvalidParameterError) as e:
        fcorr.from_loss("linex", params={"alpha": "x"})
    assert isinstance(e.value, fcorr.ParameterError)


def test_undefined_at_the_match():
    with pytest.raises(fcorr.UndefinedError, match="undefined at t = 0"):
        fcorr.from_loss("t*log(abs(t))")


def test_undefined_somewhere_in_the_domain():
    with pytest.raises(fcorr.UndefinedError, match="undefined for u ≥ 3: `log"):
        fcorr.from_divergence("abs(u-1) - log(3-u)")
    with pytest.raises(fcorr.UndefinedError, match="undefined at t = 1/2"):
        fcorr.from_loss("1/(t-1/2)^2")


def test_quadrature_failure():
    with pytest.raises(fcorr.QuadratureError, match="numeric transform failed"):
        fcorr.from_loss("abs(t)^(1/100)*exp(t)")


def test_work_limit():
    product = "*".join(f"(t + {k})" for k in range(1, 601))
    with pytest.raises(fcorr.LimitError, match="derivative size limit"):
        fcorr.from_loss(product)


def test_a_part_that_cannot_be_computed_is_in_the_dict():
    d = fcorr.from_loss("sqrt(abs(t))").to_dict()
    assert d["normalization"]["kind"] == "undefined"
    assert "1/sqrt(0)" in d["normalization"]["refused"]
    assert d["gradient_check"]["verdict"] == "holds"


def test_bad_residual():
    with pytest.raises(fcorr.InputError, match="not a residual"):
        fcorr.from_loss("t^2", residual="model")


def test_out_of_domain():
    with pytest.raises(fcorr.DomainError):
        fcorr.from_divergence("kl").f_at([0.0])
    with pytest.raises(fcorr.DomainError):
        with np.errstate(divide="ignore", invalid="ignore"):
            fcorr.verify(lambda t: np.log(t), "kl")


def test_user_exception_propagates():
    def broken(t):
        raise KeyError("inside the loss")

    with pytest.raises(KeyError):
        fcorr.verify(broken, "kl")


def _brute_force(weight, logits, target, c):
    """The gradient and V(c) of the score-function estimator, by enumeration."""
    logits = np.asarray(logits, dtype=float)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    q = np.asarray(target, dtype=float) / np.sum(target)
    t = np.log(q) - np.log(p)
    w = weight(t)
    s = np.eye(len(p)) - p  # row x is the score e_x - p
    est = -(w + c)[:, None] * s
    mean = p @ est
    second = p @ np.sum(est * est, axis=1)
    return -(p * w) @ s, second - mean @ mean


def test_variance_matches_enumeration():
    logits, target = [0.3, -1.0, 2.0, 0.5], [1.0, 2.0, 3.0, 0.5]
    r = fcorr.variance(["t^2", "linex"], logits=logits, target=target, shifts=[-1.0, 0.0, 2.0])
    assert r["schema_version"] >= 1 and len(r["losses"]) == 2
    for loss, weight in zip(r["losses"], [lambda t: 2 * t, np.expm1]):
        assert isinstance(loss["gradient"], np.ndarray)
        for row in loss["variance"]:
            grad, v = _brute_force(weight, logits, target, row["shift"])
            np.testing.assert_allclose(loss["gradient"], grad, rtol=1e-12, atol=1e-15)
            assert abs(row["trace"] - v) <= 1e-12 * max(1.0, abs(v))


def test_variance_names_a_support_mismatch():
    r = fcorr.variance(
        "linex", logits=[0.0, 1.0, 2.0], target=[1.0, 1.0, 1.0], behaviour=[0.0, 0.5, 0.5]
    )
    mismatch = r["off_policy"]["support_mismatch"]
    assert list(mismatch["outcomes"]) == [0]
    assert mismatch["mass"] > 0
    with pytest.raises(fcorr.InputError):
        fcorr.variance("t^2", logits=[0.0, 1.0], target=[1.0, 1.0], behaviour=[0.2, 0.2])


def test_a_check_whose_gradient_check_cannot_be_computed():
    v = fcorr.check("exp(exp(exp(t)))", "kl")
    assert not v.holds and v.verdict == "fails"
    assert np.isnan(v.max_rel_error)


def test_family_of_linex():
    fam = fcorr.family_from_loss("linex")
    assert fam.parameter == "alpha"
    generic = fam.generic
    assert generic["member"]["divergence"] == "(u^alpha - alpha*u + alpha - 1)/(alpha*(alpha - 1))"
    assert [c["text"] for c in generic["conditions"]] == ["alpha ≠ 0", "alpha ≠ 1"]
    assert fam.at(0)["kind"] == "limit"
    assert fam.at(0)["member"]["divergence"] == "u - 1 - log(u)"
    assert fam.at(1)["kind"] == "value"
    assert fam.at(1)["member"]["divergence"] == "u*log(u) - u + 1"
    assert "family" in str(fam) and fam.to_dict()["command"] == "family"
    # Zero-forcing exactly for alpha <= 0, zero-avoiding exactly for alpha >= 1.
    regions = fam.regions
    assert regions["zero_forcing"]["holds"] == [
        {"lower": None, "upper": {"value": "0", "closed": True}}
    ]
    assert regions["zero_avoiding"]["holds"] == [
        {"lower": {"value": "1", "closed": True}, "upper": None}
    ]
    assert regions["zero_forcing"]["undecided"] == []


def test_family_of_alpha_divergences_with_assumptions():
    fam = fcorr.family_from_divergence("alpha", assume=["alpha > 0"])
    assert fam.generic["member"]["loss"] == "(exp(alpha*t) - alpha*t - 1)/alpha^2"
    assert fam.at(0) is None  # excluded by alpha > 0
    assert fam.at(1)["member"]["loss"] == "exp(t) - t - 1"


def test_family_errors_are_typed():
    with pytest.raises(fcorr.InvalidParameterError):
        fcorr.family_from_loss("linex", assume="alpha >> 0")
    with pytest.raises(fcorr.UnknownParameterError):
        fcorr.family_from_loss("a*b*t^2")


def _derived_in_child(queue):
    queue.put(fcorr.from_loss("log(cosh(t))").f)


def test_forked_child_derives_with_its_own_worker():
    # A report runs its parts on a second thread; a child made by fork inherits the parent's
    # queue but not its thread, and must derive the same pair (with a worker of its own).
    import multiprocessing

    before = fcorr.from_loss("log(cosh(t))").f
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    children = [ctx.Process(target=_derived_in_child, args=(queue,)) for _ in range(2)]
    for child in children:
        child.start()
    results = [queue.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert results == [before, before]
