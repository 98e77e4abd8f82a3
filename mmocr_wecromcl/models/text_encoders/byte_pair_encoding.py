# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Sub-word units learned by byte-pair encoding over a word list."""
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Sequence, Tuple

Pair = Tuple[str, str]


class BytePairEncoding:
    """Byte-pair encoding (Sennrich et al., 2016) over the characters of
    words: the sub-word units of a token-wise (CLIP-style) text encoder.

    Learning starts from single characters and repeatedly merges the most
    frequent pair of adjacent units (ties: the pair that sorts first), up to
    ``num_merges`` times. Encoding a word applies the learned merges in the
    order they were learned, so a word is cut the same way wherever it
    appears.

    Args:
        merges (Sequence[tuple[str, str]]): The merges in learning order.
    """

    def __init__(self, merges: Sequence[Pair]) -> None:
        self.merges = [tuple(pair) for pair in merges]
        self.ranks: Dict[Pair, int] = {
            pair: rank
            for rank, pair in enumerate(self.merges)
        }

    @classmethod
    def learn(cls, words: Iterable[str],
              num_merges: int) -> 'BytePairEncoding':
        """Learn merges from a list of words (repeats count).

        Args:
            words (Iterable[str]): Non-empty words.
            num_merges (int): The number of merges to learn; fewer when no
                pair of units occurs twice.

        Returns:
            BytePairEncoding: The learned encoding.
        """
        counts = Counter(w for w in words if w)
        units = {word: list(word) for word in counts}
        pair_counts: Counter = Counter()
        words_of: Dict[Pair, set] = defaultdict(set)
        for word, count in counts.items():
            for pair in zip(units[word], units[word][1:]):
                pair_counts[pair] += count
                words_of[pair].add(word)
        merges = []
        while len(merges) < num_merges and pair_counts:
            best = min(pair_counts, key=lambda p: (-pair_counts[p], p))
            if pair_counts[best] < 2:
                break
            merges.append(best)
            for word in list(words_of.pop(best)):
                old = units[word]
                new = cls._merge(old, best)
                count = counts[word]
                for pair in zip(old, old[1:]):
                    pair_counts[pair] -= count
                    if pair_counts[pair] <= 0:
                        del pair_counts[pair]
                    words_of[pair].discard(word)
                for pair in zip(new, new[1:]):
                    pair_counts[pair] += count
                    words_of[pair].add(word)
                units[word] = new
        return cls(merges)

    @staticmethod
    def _merge(units: List[str], pair: Pair) -> List[str]:
        """``units`` with each occurrence of ``pair`` joined, left to
        right."""
        out, i = [], 0
        while i < len(units):
            if i + 1 < len(units) and (units[i], units[i + 1]) == pair:
                out.append(units[i] + units[i + 1])
                i += 2
            else:
                out.append(units[i])
                i += 1
        return out

    @property
    def units(self) -> List[str]:
        """The merged units, in learning order (the single characters are
        not listed)."""
        return [a + b for a, b in self.merges]

    def encode(self, word: str) -> List[str]:
        """Cut a word into units.

        Args:
            word (str): A word.

        Returns:
            list[str]: Its units, which concatenate to ``word``.
        """
        units = list(word)
        while len(units) > 1:
            pairs = [(self.ranks.get(p, len(self.ranks)), p)
                     for p in zip(units, units[1:])]
            rank, pair = min(pairs)
            if rank == len(self.ranks):
                break
            units = self._merge(units, pair)
        return units
