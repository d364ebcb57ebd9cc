using Talk.Kit.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Export;

/// <summary>The verifier is a real judge: it catches a model that differs, names the output, and states the tolerance.</summary>
[Collection(TorchCollection.Name)]
public class ExportVerifierTests
{
    [Fact]
    public void ChangedWeights_AfterExport_FailVerification_NamingTheOutput()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var net = nn.Sequential(("fc", nn.Linear(6, 3)));
        byte[] onnx = OnnxExporter.Export(net, "drift", [6]);
        using (no_grad())
            net.named_parameters().Single(p => p.name == "fc.bias").parameter.add_(0.01f); // 100× the tolerance

        var verification = ExportVerifier.Verify(net, onnx, ExportAssert.Inputs([2, 6], seed: 1), [2, 6]);

        Assert.False(verification.Passed);
        Assert.Equal("logits", verification.FirstMismatch?.Name);
        Assert.InRange(verification.MaxAbsDiff, 0.0099, 0.0101);
        Assert.Equal(ExportVerifier.DefaultTolerance, verification.Tolerance);
        var error = Assert.Throws<InvalidOperationException>(() => verification.ThrowIfFailed("The export of 'drift'"));
        Assert.Contains("output 'logits' differs by up to", error.Message);
        Assert.Contains("tolerance 1.0e-04", error.Message);
    }

    [Fact]
    public void MatchingModel_Passes_WithOutputShapesOfBothSides()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(6);
        var net = nn.Sequential(("fc", nn.Linear(6, 3)));
        byte[] onnx = OnnxExporter.Export(net, "same", [6]);
        var verification = ExportVerifier.Verify(net, onnx, ExportAssert.Inputs([4, 6], seed: 2), [4, 6]);
        Assert.True(verification.Passed, verification.ToString());
        var output = Assert.Single(verification.Outputs);
        Assert.Equal([4L, 3], output.TorchShape);
        Assert.Equal([4L, 3], output.OnnxShape);
        Assert.Null(verification.FirstMismatch);
        verification.ThrowIfFailed("unused"); // does not throw
    }

    [Fact]
    public void InputsThatDoNotFillTheShape_AreAClearError()
    {
        using var scope = NewDisposeScope();
        var net = nn.Sequential(("fc", nn.Linear(6, 3)));
        byte[] onnx = OnnxExporter.Export(net, "count", [6]);
        var error = Assert.Throws<ArgumentException>(() => ExportVerifier.Verify(net, onnx, new float[10], [2, 6]));
        Assert.Contains("10 input values do not fill the shape [2,6] (12 values)", error.Message);
    }
}
