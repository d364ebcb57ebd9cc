using Google.Protobuf;
using Onnx;
using Talk.Kit.Fusion;
using Talk.Kit.Models;
using Talk.Kit.Tests.Export;
using Talk.Kit.Training;
using Talk.Kit.Training.Networks;
using static Talk.Kit.Tests.Fusion.FusionGraphs;
using static TorchSharp.torch;

namespace Talk.Kit.Tests.Fusion;

/// <summary>The default pipeline, and the shape and Gemm-BN passes alone, on the zoo's real graphs: ResNet-18, VGG-BN, LeNet-5.</summary>
[Collection(TorchCollection.Name)]
public sealed class RealModelFusionTests
{
    /// <summary>The two passes that find nothing in the zoo (no Gemm+BN, no shape-op chains): they must say so and change nothing.</summary>
    private static readonly FusionPipeline ShapeAndGemmBn = new([new ReshapeTransposeSimplification(), new GemmBatchNormFolding()]);

    [Fact]
    public void ResNet18_DefaultPipeline_FoldsAll22BatchNorms_OutputsStayEqual()
    {
        Assert.True(PretrainedResNet18.IsInstalled, "run ./kit.sh setup: it restores the NuGet package with ResNet-18");
        var resnet = PretrainedResNet18.Load();

        var (_, quiet) = ShapeAndGemmBn.Run(resnet);
        var (fused, report) = FusionPipeline.Default.Run(resnet);

        Assert.False(quiet.Changed);
        Assert.False(fused.OpTypeCounts.ContainsKey("BatchNormalization"));
        Assert.DoesNotContain(report.Applications, a => a.Pass is "simplify-reshape-transpose" or "fold-gemm-bn");
        Assert.True(report.EndToEnd!.Equivalent, report.EndToEnd.ToString());
        Assert.True(report.ReachedFixedPoint);
    }

    [Fact]
    public void VggBn_DefaultPipeline_FoldsEveryBatchNorm_OutputsStayEqual()
    {
        var vgg = ExportVggBn();

        var (_, quiet) = ShapeAndGemmBn.Run(vgg);
        var (fused, report) = FusionPipeline.Default.Run(vgg);

        Assert.False(quiet.Changed);
        Assert.Equal(6, report.OpCountsBefore["BatchNormalization"]);
        Assert.False(fused.OpTypeCounts.ContainsKey("BatchNormalization"));
        Assert.True(report.EndToEnd!.Equivalent, report.EndToEnd.ToString());
    }

    [Fact]
    public void LeNet5_ShapeAndGemmBnPasses_ChangeNothing()
    {
        var lenet = Model.FromBytes(Models.TestNets.LeNet5(), "lenet5");

        var (same, report) = ShapeAndGemmBn.Run(lenet);

        Assert.False(report.Changed);
        Assert.Equal(lenet.ToProto().Graph, same.ToProto().Graph);
    }

    /// <summary>The catalogue's VGG-BN exported untrained, with running statistics made non-trivial (μ ≠ 0, σ² ≠ 1) so folding has work to do.</summary>
    private static Model ExportVggBn()
    {
        using var scope = NewDisposeScope();
        using var net = NetworkCatalog.Create("vgg-bn", seed: 3);
        var proto = ExportAssert.ExportsEquivalently(net, [1, 28, 28]);
        var random = new Random(30);
        foreach (var bn in proto.Graph.Node.Where(n => n.OpType == "BatchNormalization"))
            foreach (var (input, low, high) in new[] { (3, -0.5f, 0.5f), (4, 0.2f, 2f) })
            {
                var statistic = proto.Graph.Initializer.Single(t => t.Name == bn.Input[input]);
                int count = (int)statistic.Dims[0];
                proto.Graph.Initializer[proto.Graph.Initializer.IndexOf(statistic)] = GraphEdit.FloatTensor(statistic.Name, Uniform(random, count, low, high), statistic.Dims);
            }
        return Model.FromBytes(proto.ToByteArray(), "vgg-bn");
    }
}
