using Talk.Kit.Training;
using Talk.Kit.Training.Native;

namespace Talk.Kit.Tests.Training;

public class TorchStatusTests
{
    [Fact]
    public void TensorCode_RunsInLibTorch_AfterTheKitsNativeFix()
    {
        var status = TorchStatus.Check();
        Assert.True(status.Works, status.Error + Environment.NewLine + status.NativeFix);
        Assert.Equal("(ones(2,3) @ ones(3,2)).sum() = 12", status.SmokeTest);
        Assert.Equal("0.107.0", status.TorchSharpVersion);
        Assert.StartsWith("2.10.0", status.LibTorchVersion);
        Assert.True(status.NativeFix.Succeeded);
        Assert.DoesNotContain(status.NativeFix.Files, f => f.Action == TorchNativeFixAction.Failed);
    }
}
