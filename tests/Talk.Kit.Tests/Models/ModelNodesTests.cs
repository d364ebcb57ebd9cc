using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Models;

public class ModelNodesTests
{
    private static Model Net() => ModelLoader.Load(new OnnxGraphBuilder("bn").Input("x", OnnxElementType.Float, -1, 2, 4, 4)
        .Initializer("g", [1f, 2f], 2).Initializer("b", [0.5f, -0.5f], 2).Initializer("m", [0f, 1f], 2).Initializer("v", [1f, 4f], 2)
        .Node("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"], new Dictionary<string, object> { ["epsilon"] = 0.25f }, name: "bn")
        .Output("y", OnnxElementType.Float, -1, 2, 4, 4).ToBytes(), "bn");

    [Fact]
    public void Nodes_AndFloatInitializers_ReadAsPlainData()
    {
        var model = Net();
        var bn = Assert.Single(model.Nodes());
        Assert.Equal(("bn", "BatchNormalization"), (bn.Name, bn.OpType));
        Assert.Equal(["x", "g", "b", "m", "v"], bn.Inputs);
        Assert.Equal(0.25f, bn.FloatAttributes["epsilon"]);
        Assert.Equal([1f, 4f], model.FloatInitializer("v"));
        Assert.Contains("has no initializer named 'w'", Assert.Throws<KeyNotFoundException>(() => model.FloatInitializer("w")).Message);
    }
}
