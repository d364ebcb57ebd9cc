using System.IO.Compression;
using System.Security.Cryptography;
using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class FashionMnistTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("talkkit-fmnist-").FullName;

    [Fact]
    public void ShippedSubset_Has500PerClassInTrain_And100PerClassInTest()
    {
        var data = FullSet.Subset;

        Assert.False(data.IsFull);
        Assert.Equal("SUBSET", data.Kind);
        Assert.Equal(5_000, data.Train.Count);
        Assert.Equal(1_000, data.Test.Count);
        Assert.All(data.Train.ClassCounts(), n => Assert.Equal(500, n));
        Assert.All(data.Test.ClassCounts(), n => Assert.Equal(100, n));
        Assert.Equal((28, 28), (data.Test.Rows, data.Test.Cols));
        Assert.Equal("Ankle boot", data.Test.ClassNames[9]);
        Assert.StartsWith("Fashion-MNIST test (subset): " + Path.Combine(FullSet.SubsetFolder, "t10k-images-idx3-ubyte.gz"), data.Test.Source);
    }

    [Fact]
    public void ShippedSubset_MatchesItsChecksums_InCodeAndInTheReadme()
    {
        string readme = File.ReadAllText(Path.Combine(FullSet.SubsetFolder, "..", "README.md"));
        foreach (var (name, expected) in FashionMnistProvenance.SubsetSha256)
        {
            string path = Path.Combine(FullSet.SubsetFolder, name);
            Assert.Equal(expected, FashionMnistProvenance.Sha256(path));
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            string content = Convert.ToHexStringLower(SHA256.HashData(gz));
            Assert.Equal(FashionMnistProvenance.SubsetContentSha256[name[..^3]], content);
            Assert.Contains(expected, readme);
            Assert.Contains(content, readme);
        }
        foreach (var sha in FashionMnistProvenance.DebianSha256.Values)
            Assert.Contains(sha, readme);
    }

    [Fact]
    public void Load_UsesTheFullSetWhenInstalled_ElseTheShippedSubset()
    {
        var data = FashionMnist.Load();

        if (FullSet.Installed)
        {
            Assert.True(data.IsFull);
            Assert.Equal("FULL", data.Kind);
            Assert.Equal((60_000, 10_000), (data.Train.Count, data.Test.Count));
            Assert.Equal(DatasetStatus.Full, data.Location.Status);
            if (Environment.GetEnvironmentVariable(DatasetLocator.EnvironmentVariable) is null)
            {
                // The repository's subset comes earlier in the search and must lose to the full set.
                Assert.Equal(("Debian package", FullSet.DebianFolder), (data.Location.Source, data.Location.Directory));
                Assert.EndsWith($"; preferred over the subset in {FullSet.SubsetFolder}.", data.Search.Reason);
            }
        }
        else
        {
            Assert.False(data.IsFull);
            Assert.Equal("repository", data.Location.Source);
            Assert.StartsWith("No folder holds the full set; using the subset in ", data.Search.Reason);
        }
    }

    [Fact]
    public void FullSet_BalancedLikeTheScript_EqualsTheShippedSubset()
    {
        // The script and LabelledImages.Balanced use one rule; with the full set installed, prove they agree.
        // Without it there is nothing to compare against, so check the subset is already balanced (a fixed point).
        var source = FullSet.Installed ? FullSet.Data : FullSet.Subset;

        var train = source.Train.Balanced(500);
        var test = source.Test.Balanced(100);

        Assert.Equal(FullSet.Subset.Train.Labels, train.Labels);
        Assert.Equal(FullSet.Subset.Train.Pixels, train.Pixels);
        Assert.Equal(FullSet.Subset.Test.Labels, test.Labels);
        Assert.Equal(FullSet.Subset.Test.Pixels, test.Pixels);
    }

    [Fact]
    public void LoadTest_ReadsOnlyTheTestSplit_FromTheSamePlaceAsLoad()
    {
        var test = FashionMnist.LoadTest();
        Assert.Equal(FullSet.Installed ? 10_000 : 1_000, test.Count);
        Assert.Equal(FashionMnist.ClassNames, test.ClassNames);
    }

    [Fact]
    public void CraftedFolder_RawAndGzip_LoadIdentically()
    {
        string raw = Path.Combine(root, "raw"), gz = Path.Combine(root, "gz");
        IdxBytes.WriteFolder(raw, [0, 1, 2, 9], [5, 3], gzip: false);
        IdxBytes.WriteFolder(gz, [0, 1, 2, 9], [5, 3], gzip: true);

        var a = FashionMnist.LoadFrom(raw);
        var b = FashionMnist.LoadFrom(gz);

        Assert.Equal([0, 1, 2, 9], a.Train.Labels);
        Assert.Equal(IdxBytes.Pattern(4, 784), a.Train.Pixels);
        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.Equal(a.Test.Pixels, b.Test.Pixels);
        Assert.Equal("SUBSET", b.Kind);
        Assert.Equal(DatasetStatus.Subset, b.Location.Status);
    }

    [Fact]
    public void CountMismatchBetweenImagesAndLabels_NamesBothFiles()
    {
        string dir = Path.Combine(root, "mismatch");
        IdxBytes.WriteFolder(dir, [0, 1], [0]);
        IdxBytes.Write(dir, "train-labels-idx1-ubyte", IdxBytes.Labels([0, 1, 2]), gzip: true);

        var e = Assert.Throws<DatasetFormatException>(() => FashionMnist.LoadFrom(dir));

        Assert.Equal(Path.Combine(dir, "train-images-idx3-ubyte.gz"), e.Location);
        Assert.Equal("holds 2 images but train-labels-idx1-ubyte.gz holds 3 labels", e.Problem);
        Assert.Contains("The two files of a split must come from the same release: replace both.", e.Message);
    }

    [Fact]
    public void LabelAboveNine_IsOutOfRange()
    {
        string dir = Path.Combine(root, "label");
        IdxBytes.WriteFolder(dir, [0, 1], [4, 12]);

        var e = Assert.Throws<DatasetFormatException>(() => FashionMnist.LoadFrom(dir));

        Assert.Equal(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), e.Location);
        Assert.Equal("label 12 at index 1 is out of range: Fashion-MNIST labels are 0–9", e.Problem);
    }

    [Fact]
    public void ImagesOfAnotherSize_AreRejected()
    {
        string dir = Path.Combine(root, "size");
        IdxBytes.WriteFolder(dir, [0], [0]);
        IdxBytes.Write(dir, "t10k-images-idx3-ubyte", IdxBytes.Images(1, 32, 32, new byte[1024]), gzip: true);

        var e = Assert.Throws<DatasetFormatException>(() => FashionMnist.LoadFrom(dir));

        Assert.Equal("images are 32×32, Fashion-MNIST images are 28×28", e.Problem);
    }

    [Fact]
    public void MissingFile_NamesTheFolderAndTheFile()
    {
        string dir = Path.Combine(root, "missing");
        IdxBytes.WriteFolder(dir, [0], [0]);
        File.Delete(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<DatasetFormatException>(() => FashionMnist.LoadFrom(dir));

        Assert.Equal(dir, e.Location);
        Assert.Equal("missing t10k-labels-idx1-ubyte(.gz)", e.Problem);
        Assert.Contains("train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz", e.Message);
    }

    [Fact]
    public void NothingFoundAnywhere_NamesEveryFolderSearched()
    {
        string nowhere = Path.Combine(root, "nowhere"), partial = Path.Combine(root, "partial");
        Directory.CreateDirectory(partial);
        File.WriteAllBytes(Path.Combine(partial, "t10k-images-idx3-ubyte.gz"), [0]);
        var search = DatasetLocator.Choose("Fashion-MNIST",
            [FashionMnistFolder.Inspect("argument", nowhere), FashionMnistFolder.Inspect("Debian package", partial)]);

        var e = FashionMnist.NotFound(search);

        Assert.Null(search.Chosen);
        Assert.Equal(
            $"Fashion-MNIST: not found; looked in {nowhere} (argument: no such folder); {partial} (Debian package: missing " +
            "train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)). Install the Debian package " +
            "(sudo apt-get install dataset-fashion-mnist), set TALKKIT_DATA to a folder holding fashion-mnist/ with the four files, " +
            "or pass such a folder to FashionMnist.Load(path).",
            e.Message);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
