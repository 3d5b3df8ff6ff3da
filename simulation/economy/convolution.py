"""Causal convolutions along the month axis, by the cheapest route.

Every stage of the project pipeline is a convolution of a monthly series with a kernel
(:mod:`simulation.economy.pipeline`); kernels may differ by draw, so convolutions of
per-draw series with per-draw kernels run by FFT along the month axis, and
:func:`convolve_window` picks direct sums where one side is the same in every draw.
Shapes: rows (draws, or 1) × months.
"""

from __future__ import annotations

from functools import cache

import numpy as np

__all__ = ["convolve", "convolve_window", "fft_length", "inverse_products", "spectra"]


def _smooth_length(n: int) -> int:
    """Smallest 5-smooth integer ≥ ``n`` (≥ 1)."""
    n = max(n, 1)
    while True:
        m = n
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return n
        n += 1


@cache
def fft_length(T: int) -> int:
    """FFT length for a causal convolution of ``T`` months truncated to ``T``.

    The smallest 5-smooth integer (pocketfft's fast sizes) ``n ≥ 2T − 1``: a signal and a
    kernel of ``T`` months each then never wrap around onto the first ``T`` outputs
    (144 for the usual ``T = 72``, against 256 for the next power of two).

    Parameters
    ----------
    T : int
        Months of the signal (and of the kernel).

    Returns
    -------
    int
    """
    return _smooth_length(2 * T - 1)


def spectra(arrays: list[np.ndarray], n: int) -> list[np.ndarray]:
    """Real FFTs of several (rows, ≤ n) arrays in one transform.

    The rows are zero-padded to ``n`` into one buffer, transformed together and handed
    back as views, so each distinct signal or kernel is transformed once.

    Parameters
    ----------
    arrays : list of ndarray, each shape (R_i, L_i), ``L_i ≤ n``
    n : int
        Transform length (:func:`fft_length`).

    Returns
    -------
    list of ndarray, each shape (R_i, n // 2 + 1), complex
    """
    rows = [a.shape[0] for a in arrays]
    buf = np.zeros((sum(rows), n))
    i = 0
    for a, r in zip(arrays, rows, strict=True):
        buf[i : i + r, : a.shape[-1]] = a
        i += r
    spec = np.fft.rfft(buf, axis=-1)
    out, i = [], 0
    for r in rows:
        out.append(spec[i : i + r])
        i += r
    return out


def inverse_products(
    pairs: list[tuple[np.ndarray, np.ndarray]], n: int, T: int
) -> list[np.ndarray]:
    """Convolutions from spectra: ``irfft(a · b)[..., :T]`` for each pair, batched.

    Pairs whose products have the same shape share one inverse transform.

    Parameters
    ----------
    pairs : list of (ndarray, ndarray)
        Spectra from :func:`spectra`, shapes broadcasting to (R_i, n // 2 + 1).
    n : int
        Transform length.
    T : int
        Months kept.

    Returns
    -------
    list of ndarray, each shape (R_i, T)
        Writable (the first ``T`` columns of a fresh inverse transform).
    """
    shapes = [np.broadcast_shapes(a.shape, b.shape) for a, b in pairs]
    if len(set(shapes)) == 1:
        buf = np.empty((len(pairs), *shapes[0]), dtype=complex)
        for i, (a, b) in enumerate(pairs):
            np.multiply(a, b, out=buf[i])
        full = np.fft.irfft(buf, n, axis=-1)
        return [full[i, ..., :T] for i in range(len(pairs))]
    return [np.fft.irfft(a * b, n, axis=-1)[..., :T] for a, b in pairs]


def convolve_window(a: np.ndarray, b: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Causal convolution of two row sets, months ``start .. stop-1`` only.

    ``out[:, t − start] = Σ_s a[:, s] · b[:, t − s]`` (zero outside each operand). The
    cheapest route is taken: one row each, :func:`numpy.convolve`; one operand the same
    in every draw, a product with its Toeplitz matrix (direct sums, no transform); both
    per draw, an FFT of the smallest 5-smooth length whose wrap-around misses the window
    (``n ≥ La + Lb − 1 − start``, e.g. 96 rather than 256 for the plan-year starts),
    both operands transformed in one call. The routes agree to floating-point rounding.

    Parameters
    ----------
    a : ndarray, shape (Ra, La)
    b : ndarray, shape (Rb, Lb)
        ``Ra`` and ``Rb`` are equal or 1.
    start, stop : int
        Output months ``0 ≤ start ≤ stop``.

    Returns
    -------
    ndarray, shape (max(Ra, Rb), stop − start)
    """
    La, Lb, Tr = a.shape[-1], b.shape[-1], stop - start
    if Tr == 0:
        return np.zeros((max(a.shape[0], b.shape[0]), 0))
    if a.shape[0] == 1 and b.shape[0] == 1:
        full = np.convolve(a[0], b[0])[start:stop]
        if full.size < Tr:
            full = np.concatenate([full, np.zeros(Tr - full.size)])
        return full[None, :]
    if a.shape[0] == 1:  # the shared operand goes into the Toeplitz matrix
        a, b, La, Lb = b, a, Lb, La
    if b.shape[0] == 1:
        hi = min(La, stop)  # a[:, j] contributes to the window for lo ≤ j < hi
        lo = max(0, start - Lb + 1)
        if hi <= lo:
            return np.zeros((a.shape[0], Tr))
        J = hi - lo
        k0 = start - (hi - 1)  # smallest lag t − j in the window
        q = np.zeros(Tr + J - 1)  # q[i] = b[k0 + i] (zero outside 0..Lb-1)
        src0, src1 = max(k0, 0), min(k0 + q.size, Lb)
        if src1 > src0:
            q[src0 - k0 : src1 - k0] = b[0, src0:src1]
        # M[j − lo, t − start] = b[t − j] = q[t − start + (J − 1) − (j − lo)]
        M = np.lib.stride_tricks.sliding_window_view(q, J)[:, ::-1].T
        return a[:, lo:hi] @ M
    n = _smooth_length(max(La, Lb, stop, La + Lb - 1 - start))
    fa, fb = spectra([a, b], n)
    return np.fft.irfft(fa * fb, n, axis=-1)[:, start:stop]


def convolve(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Causal convolution along the last axis, truncated to the signal length.

    ``out[..., t] = Σ_{s ≤ t} signal[..., s] · kernel[..., t − s]``; shapes broadcast.
    """
    T = signal.shape[-1]
    n = fft_length(T)
    out = np.fft.irfft(np.fft.rfft(signal, n) * np.fft.rfft(kernel[..., :T], n), n)
    return out[..., :T]
