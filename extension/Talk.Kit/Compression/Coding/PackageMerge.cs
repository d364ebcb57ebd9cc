namespace Talk.Kit.Compression.Coding;

/// <summary>
/// Optimal length-limited prefix code lengths by package-merge (Larmore &amp; Hirschberg 1990).
/// </summary>
/// <remarks>
/// Think of each symbol as a coin of face value 2^−ℓ for every level ℓ = 1..L, worth its frequency. The cheapest set of
/// coins with total face value n − 1 gives the optimal code: a symbol's length is how many of its coins were chosen.
/// Computed bottom-up: at level L the list is the symbols sorted by weight; at each level above, pair neighbours of the
/// list below into packages (weight = sum) and merge them with the sorted symbols; at level 1 take the 2n − 2 cheapest
/// items. Work and memory are O(n·L).
/// </remarks>
internal static class PackageMerge
{
    /// <summary>Lengths (≤ <paramref name="maxLength"/>) for n ≥ 2 positive weights, index-aligned with them.</summary>
    public static int[] Lengths(long[] weights, int maxLength)
    {
        int n = weights.Length;
        var nodes = new List<Item>();
        // Symbols sorted by (weight, index): a stable order, so the result is deterministic.
        var leaves = Enumerable.Range(0, n).OrderBy(i => weights[i]).ThenBy(i => i).ToArray();
        var list = new List<int>();
        foreach (int s in leaves)
        {
            list.Add(nodes.Count);
            nodes.Add(new Item(weights[s], s, -1, -1));
        }
        for (int level = maxLength - 1; level >= 1; level--)
        {
            var packages = new List<int>();
            for (int i = 0; i + 1 < list.Count; i += 2)
            {
                packages.Add(nodes.Count);
                nodes.Add(new Item(nodes[list[i]].Weight + nodes[list[i + 1]].Weight, -1, list[i], list[i + 1]));
            }
            list = Merge(leaves, weights, packages, nodes);
        }
        var lengths = new int[n];
        var stack = new Stack<int>(list.Take(2 * n - 2));
        while (stack.TryPop(out int node)) // every leaf reached is one chosen coin of its symbol
        {
            var item = nodes[node];
            if (item.Symbol >= 0) lengths[item.Symbol]++;
            else { stack.Push(item.Left); stack.Push(item.Right); }
        }
        return lengths;
    }

    // Fresh leaf items for this level merged with the packages, by weight (a leaf first on ties).
    private static List<int> Merge(int[] leaves, long[] weights, List<int> packages, List<Item> nodes)
    {
        var merged = new List<int>(leaves.Length + packages.Count);
        int p = 0;
        foreach (int s in leaves)
        {
            while (p < packages.Count && nodes[packages[p]].Weight < weights[s])
                merged.Add(packages[p++]);
            merged.Add(nodes.Count);
            nodes.Add(new Item(weights[s], s, -1, -1));
        }
        merged.AddRange(packages.Skip(p));
        return merged;
    }

    private readonly record struct Item(long Weight, int Symbol, int Left, int Right);
}
