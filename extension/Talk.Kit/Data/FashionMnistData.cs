namespace Talk.Kit.Data;

/// <summary>Both Fashion-MNIST splits, where they came from, and whether they are the full set or the subset.</summary>
/// <param name="Train">The training split: 60,000 images (full) or 5,000 (shipped subset).</param>
/// <param name="Test">The test split: 10,000 images (full) or 1,000 (shipped subset).</param>
/// <param name="Location">The folder read, with what its headers declared.</param>
/// <param name="Search">Every place looked in and why this one was chosen.</param>
public sealed record FashionMnistData(LabelledImages Train, LabelledImages Test, DatasetLocation Location, DatasetSearch Search)
{
    /// <summary>True for the published 60,000 / 10,000 images; false for a subset.</summary>
    public bool IsFull => Train.Count == FashionMnist.FullTrainCount && Test.Count == FashionMnist.FullTestCount;

    /// <summary>"FULL" or "SUBSET", for reports.</summary>
    public string Kind => IsFull ? "FULL" : "SUBSET";

    /// <summary>E.g. "Fashion-MNIST FULL: 60,000 train + 10,000 test images from /usr/share/datasets/fashion-mnist (Debian package)".</summary>
    public override string ToString() =>
        $"Fashion-MNIST {Kind}: {FashionMnist.N0(Train.Count)} train + {FashionMnist.N0(Test.Count)} test images from {Location.Directory} ({Location.Source})";
}
