"""Train the STAR labeler and write its weights into the package.

    python training/train_labeler.py     # writes src/starcoach/analysis/weights/star_labeler.npz

Trained on our own answers (data/star, minus the held-out fifth) and on the real public answers in
../shared/data/public_star_answers.jsonl (read at training time; only weights are committed), each
with its variants (result removed, action removed, speech transcript). Figures on authors never seen
in training come from training/eval_analysis.py, which refits the same model per repository fold.
Deterministic: the same data gives byte-identical weights.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labeler_fit import fit_labeler
from real_data import load_public_star
from star_data import ROOT, examples, is_heldout, load_answers

from starcoach.analysis.labeler import save_arrays
from starcoach.analysis.quality import token_class, tokens
from starcoach.bank.builtin import builtin_bank

OUT = ROOT / "src" / "starcoach" / "analysis" / "weights" / "star_labeler.npz"
CLASS_LM = OUT.parent / "class_bigrams.json"


def training_set():
    """(examples, groups): our answers grouped in ten buckets, public answers by repository."""
    ours = [a for a in load_answers() if not is_heldout(a.id)]
    exs, groups = [], []
    for a in ours:
        e = examples([a], augment=True)
        exs += e
        groups += [f"ours-{int(a.id[-2:], 36) % 10}" if a.id[-2:].isalnum() else "ours"] * len(e)
    for repo, a in load_public_star():
        e = examples([a], augment=True)
        exs += e
        groups += [repo] * len(e)
    return exs, groups, ours


def write_class_lm(train) -> None:
    """Counts of token classes and adjacent class pairs in ordinary answers (word-salad gate)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    texts = [a.compose()[0] for a in train]
    texts += [q.text + " " + " ".join(p.text for p in q.points) for q in builtin_bank().questions]
    for t in texts:
        classes = [token_class(w) for w in tokens(t)]
        uni.update(classes)
        bi.update(f"{a} {b}" for a, b in itertools.pairwise(classes))
    data = {"unigrams": dict(sorted(uni.items())), "bigrams": dict(sorted(bi.items())),
            "total_uni": sum(uni.values()), "total_bi": sum(bi.values())}
    CLASS_LM.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> None:
    exs, groups, ours = training_set()
    print(f"{len(exs)} training sequences ({len(set(groups))} author groups)", flush=True)
    write_class_lm(ours)
    arrays = fit_labeler(exs, groups)
    buf = io.BytesIO()
    save_arrays(buf, arrays)  # uncompressed, sorted byte-string vocabulary: fast to load
    OUT.write_bytes(buf.getvalue())
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB, {arrays['idf'].shape[0]} keys)")


if __name__ == "__main__":
    main()
