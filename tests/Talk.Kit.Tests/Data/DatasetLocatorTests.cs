using Talk.Kit.Data;

namespace Talk.Kit.Tests.Data;

public class DatasetLocatorTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("talkkit-data-").FullName;

    [Fact]
    public void UserPath_ComesFirst_AndCountsWhenTheTestSplitIsThere()
    {
        string dir = Path.Combine(root, "mine");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [0]);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [0]); // uncompressed counts too

        var search = DatasetLocator.FindFashionMnist(dir);

        Assert.Equal("argument", search.Candidates[0].Source);
        Assert.Equal(dir, search.Chosen?.Directory);
        Assert.Equal(["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte"], search.Chosen!.Files);
    }

    [Fact]
    public void FolderWithoutTheTestSplit_IsNotChosen_ButIsListed()
    {
        string dir = Path.Combine(root, "partial");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [0]);

        var search = DatasetLocator.FindFashionMnist(dir);

        Assert.False(search.Candidates[0].Found);
        Assert.NotEqual(dir, search.Chosen?.Directory);
        Assert.Contains(search.Candidates, c => c.Source == "Debian package" && c.Directory == "/usr/share/datasets/fashion-mnist");
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
