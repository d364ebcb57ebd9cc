namespace Talk.Kit.Data;

/// <summary>Where Fashion-MNIST comes from, its licence and citation, and the SHA-256 of the known copies.</summary>
/// <remarks>The same facts, with the command that regenerates the subset, are in datasets/README.md.</remarks>
public static class FashionMnistProvenance
{
    /// <summary>The dataset's home.</summary>
    public const string Homepage = "https://github.com/zalandoresearch/fashion-mnist";

    /// <summary>Licence of the images and labels (Zalando SE, 2017).</summary>
    public const string Licence = "MIT";

    /// <summary>The paper to cite.</summary>
    public const string Citation =
        "Han Xiao, Kashif Rasul, Roland Vollgraf. Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms. arXiv:1708.07747, 2017.";

    /// <summary>The Debian package that installs the full set in /usr/share/datasets/fashion-mnist.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>
    /// SHA-256 of the shipped subset's files in datasets/fashion-mnist (the committed .gz bytes, written by
    /// scripts/make_fashion_mnist_subset.py with zlib 1.2.13; another zlib may compress differently, see
    /// <see cref="SubsetContentSha256"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SubsetSha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "b240910d2f9a3dad10993db98ccd0cce3dd9149f4e70b24a0b03b57d41908dae",
        ["train-labels-idx1-ubyte.gz"] = "ae0d767c2f6dbbdea3abe9cbf56dacf5c2069a5513b4a9e0ff10b1923bc33661",
        ["t10k-images-idx3-ubyte.gz"] = "04516f9d284037ea6cce7310aafaed77e8f8c1547f1127ef4aa754c46f47f8f5",
        ["t10k-labels-idx1-ubyte.gz"] = "540f63e62544edb8406d1292429a47e6cdb42e4fa2eaa233f072b34e1f6bc46c",
    };

    /// <summary>SHA-256 of the shipped subset's decompressed IDX content (independent of the gzip encoder).</summary>
    public static readonly IReadOnlyDictionary<string, string> SubsetContentSha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "444ed5f7ce17397f236f5eba17dd507d3f6912f04edd3e4f1701cdf82f2cc0c5",
        ["train-labels-idx1-ubyte"] = "35d691216f65485d010cc635af5574a9dc04aa5060de9be64ab6e5cb5ead38e9",
        ["t10k-images-idx3-ubyte"] = "7cee33c3c6414b1b86c25e665a6c4f41584269de3b7cc9768b1d351922845eef",
        ["t10k-labels-idx1-ubyte"] = "3128d790775889812b73c4f13923559c8b9e281d112c6ea7862acf60a206a909",
    };

    /// <summary>SHA-256 of the Debian package's .gz files (version 0.0~git20200523.55506a9-1), the subset's source.</summary>
    public static readonly IReadOnlyDictionary<string, string> DebianSha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        ["train-labels-idx1-ubyte.gz"] = "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        ["t10k-images-idx3-ubyte.gz"] = "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        ["t10k-labels-idx1-ubyte.gz"] = "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
    };

    /// <summary>SHA-256 of a file's bytes, lower-case hex (as sha256sum prints it).</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
