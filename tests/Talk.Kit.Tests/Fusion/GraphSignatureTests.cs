using Talk.Kit.Fusion;
using Talk.Kit.Models;

namespace Talk.Kit.Tests.Fusion;

public class GraphSignatureTests
{
    private static Model Graph(string prefix, long[] kernel, bool swapOrder = false)
    {
        var b = new OnnxGraphBuilder("g").Input(prefix + "x", OnnxElementType.Float, 1, 1, 4, 4)
            .Initializer(prefix + "w", new float[kernel[0] * kernel[1]], 1, 1, kernel[0], kernel[1]);
        var conv = new Dictionary<string, object> { ["kernel_shape"] = kernel };
        if (swapOrder)
            b.Node("Relu", [prefix + "c"], [prefix + "y"], name: prefix + "relu").Node("Conv", [prefix + "x", prefix + "w"], [prefix + "c"], conv, prefix + "conv");
        else
            b.Node("Conv", [prefix + "x", prefix + "w"], [prefix + "c"], conv, prefix + "conv").Node("Relu", [prefix + "c"], [prefix + "y"], name: prefix + "relu");
        return Model.FromBytes(b.Output(prefix + "y", OnnxElementType.Float, 1, 1, 4 - kernel[0] + 1, 4 - kernel[1] + 1).ToBytes(), "g");
    }

    [Fact]
    public void NamesAndNodeOrder_DoNotMatter()
    {
        var a = GraphSignature.Of(Graph("a.", [3, 3]));
        var b = GraphSignature.Of(Graph("b.", [3, 3], swapOrder: true));

        Assert.True(a.SameAs(b));
        Assert.Equal(["Conv(xx) kernel_shape=3/3", "Relu(x)"], a.Nodes);
        Assert.Empty(a.Difference(b));
    }

    [Fact]
    public void AnAttributeValue_Matters_AndTheDifferenceShowsBothSides()
    {
        var a = GraphSignature.Of(Graph("", [3, 3]));
        var b = GraphSignature.Of(Graph("", [1, 1]));

        Assert.False(a.SameAs(b));
        Assert.Equal(["+ Conv(xx) kernel_shape=3/3", "− Conv(xx) kernel_shape=1/1"], a.Difference(b));
    }
}
