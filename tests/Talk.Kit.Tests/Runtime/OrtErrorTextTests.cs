using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Runtime;

public class OrtErrorTextTests
{
    [Fact]
    public void NodeDump_BecomesNodeNameOpAndReason()
    {
        const string raw = "[ErrorCode:InvalidGraph] This is an invalid model. In Node, (\"MatMul_0\", FooBar, \"\", -1) : " +
            "(\"x\": tensor(float),\"W\": tensor(float),) -> (\"h\",) , Error No Op registered for FooBar with domain_version of 17";

        Assert.Equal("node 'MatMul_0' (FooBar): No Op registered for FooBar with domain_version of 17", OrtErrorText.Condense(raw));
    }

    [Fact]
    public void ShapeInferenceTag_BecomesNodeNameAndOp() =>
        Assert.Equal("node 'c' (Conv): [ShapeInferenceError] Input tensor must have at least 3 dimensions",
            OrtErrorText.Condense("[ErrorCode:Fail] Node (c) Op (Conv) [ShapeInferenceError] Input tensor must have at least 3 dimensions"));

    [Fact]
    public void SourceLocationAndSignature_AreDropped()
    {
        const string raw = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void " +
            "onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, " +
            "const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models " +
            "stamped with official released onnx opset versions. Opset 27 is under development.";

        Assert.Equal("ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 27 is under development",
            OrtErrorText.Condense(raw));
    }

    [Fact]
    public void LongMessages_AreCutWithAnEllipsis_AndLinesJoined()
    {
        string condensed = OrtErrorText.Condense("first line\n  second line " + new string('x', 1000));

        Assert.Equal(400, condensed.Length);
        Assert.StartsWith("first line second line xxx", condensed);
        Assert.EndsWith("…", condensed);
    }
}
