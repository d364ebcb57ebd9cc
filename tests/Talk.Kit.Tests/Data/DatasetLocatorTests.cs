using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class DatasetLocatorTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("talkkit-data-").FullName;

    [Fact]
    public void UserPath_ComesFirst_AndIsChosenWhenItHoldsTheFullSet()
    {
        string dir = Path.Combine(root, "mine");
        IdxBytes.WriteHeaders(dir, 60_000, 10_000); // headers only: the search never reads data

        var search = DatasetLocator.FindFashionMnist(dir);

        Assert.Equal("argument", search.Candidates[0].Source);
        Assert.Equal(dir, search.Chosen?.Directory);
        Assert.True(search.IsFull);
        Assert.Equal((60_000, 10_000), (search.Chosen!.TrainCount, search.Chosen.TestCount));
        Assert.Equal(DatasetLocator.FashionMnistFiles, search.Chosen.Files); // uncompressed files count too
        Assert.Equal($"Using the full set in {dir} (argument: 60,000 train, 10,000 test), the first place holding it.", search.Reason);
    }

    [Fact]
    public void FullSetLaterInTheOrder_BeatsAnEarlierSubset()
    {
        string subset = Path.Combine(root, "subset"), full = Path.Combine(root, "full");
        IdxBytes.WriteHeaders(subset, 5_000, 1_000);
        IdxBytes.WriteHeaders(full, 60_000, 10_000);

        var search = DatasetLocator.Choose("Fashion-MNIST",
            [FashionMnistFolder.Inspect("repository", subset), FashionMnistFolder.Inspect("Debian package", full)]);

        Assert.Equal(full, search.Chosen?.Directory);
        Assert.Equal(DatasetStatus.Subset, search.Candidates[0].Status);
        Assert.Equal("subset: 5,000 train, 1,000 test", search.Candidates[0].Note);
        Assert.EndsWith($"; preferred over the subset in {subset}.", search.Reason);
    }

    [Fact]
    public void WithoutAFullSet_TheFirstCompleteSubsetIsChosen_AndTheReasonSaysSo()
    {
        string incomplete = Path.Combine(root, "incomplete"), first = Path.Combine(root, "first"), second = Path.Combine(root, "second");
        IdxBytes.WriteHeaders(incomplete, 60_000, 10_000);
        File.Delete(Path.Combine(incomplete, "train-labels-idx1-ubyte"));
        IdxBytes.WriteHeaders(first, 50, 10);
        IdxBytes.WriteHeaders(second, 5_000, 1_000);

        var search = DatasetLocator.Choose("Fashion-MNIST", [
            FashionMnistFolder.Inspect("argument", incomplete),
            FashionMnistFolder.Inspect("repository", first),
            FashionMnistFolder.Inspect("Debian package", second)]);

        Assert.Equal(first, search.Chosen?.Directory);
        Assert.False(search.IsFull);
        Assert.Equal(DatasetStatus.Incomplete, search.Candidates[0].Status);
        Assert.StartsWith($"No folder holds the full set; using the subset in {first} (repository: subset: 50 train, 10 test).", search.Reason);
    }

    [Fact]
    public void FolderWithoutAllFourFiles_IsNotChosen_ButIsListed()
    {
        string dir = Path.Combine(root, "partial");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [0]);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [0]);

        var search = DatasetLocator.FindFashionMnist(dir);

        var mine = search.Candidates[0];
        Assert.False(mine.Found);
        Assert.Equal(DatasetStatus.Incomplete, mine.Status);
        Assert.Equal(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte"], mine.Files);
        Assert.Equal("missing train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz)", mine.Note);
        Assert.NotEqual(dir, search.Chosen?.Directory);
        Assert.Contains(search.Candidates, c => c.Source == "Debian package" && c.Directory == "/usr/share/datasets/fashion-mnist");
    }

    [Fact]
    public void FolderWithABadHeader_IsUnreadable_AndSaysWhichFileAndWhy()
    {
        string dir = Path.Combine(root, "bad");
        IdxBytes.WriteHeaders(dir, 60_000, 10_000);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), IdxBytes.Idx(0x08, [10_000], []));

        var location = FashionMnistFolder.Inspect("argument", dir);

        Assert.False(location.Found);
        Assert.Equal(DatasetStatus.Unreadable, location.Status);
        Assert.Equal("t10k-images-idx3-ubyte: has 1 dimension, expected 3 for images (count, rows, columns); is this a labels file?", location.Note);
    }

    [Fact]
    public void HeadersOfASplitThatDisagree_MakeTheFolderUnreadable()
    {
        string dir = Path.Combine(root, "disagree");
        IdxBytes.WriteHeaders(dir, 60_000, 10_000);
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), IdxBytes.Idx(0x08, [59_999], []));

        var location = FashionMnistFolder.Inspect("argument", dir);

        Assert.Equal(DatasetStatus.Unreadable, location.Status);
        Assert.Equal("train-images-idx3-ubyte: holds 60,000 images but train-labels-idx1-ubyte holds 59,999 labels", location.Note);
    }

    [Fact]
    public void RepositoryRoot_IsFoundFromTheTestRun()
    {
        string? repo = DatasetLocator.FindRepositoryRoot();
        Assert.NotNull(repo);
        Assert.True(File.Exists(Path.Combine(repo, "Talk.Kit.sln")));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
