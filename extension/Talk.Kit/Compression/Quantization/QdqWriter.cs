using Onnx;
using Talk.Kit.Models;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Compression.Quantization;

/// <summary>
/// Writes a <see cref="QdqPlan"/> into a graph (edited in place):
/// <code>
/// activation t:  producer ─► t ─► QuantizeLinear ─► t_quantized ─► DequantizeLinear ─► t_dequantized ─► readers
/// weight W:      W_quantized (int8 initializer) ─► DequantizeLinear(scale[M], zero point 0, axis) ─► Conv/Gemm/MatMul
/// bias b:        b_quantized (int32, scale s_x·s_w[c], zero point 0) ─► DequantizeLinear ─► Conv/Gemm input 2
/// </code>
/// A tensor that is a graph output keeps its name: its producer writes t_float instead and the DequantizeLinear writes t.
/// Nodes stay in topological order: weight DQs and graph-input Q/DQs first, every other Q/DQ right after its producer.
/// </summary>
internal sealed class QdqWriter
{
    private readonly GraphProto graph;
    private readonly HashSet<string> taken;
    private readonly List<NodeProto> head = [];
    private readonly Dictionary<NodeProto, List<NodeProto>> after = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> replaced = [];

    private QdqWriter(GraphProto graph)
    {
        this.graph = graph;
        taken = graph.Initializer.Select(t => t.Name).Concat(graph.Input.Select(i => i.Name)).Concat(graph.Output.Select(o => o.Name))
            .Concat(AllNodes(graph).SelectMany(n => n.Input.Concat(n.Output).Append(n.Name))).ToHashSet();
    }

    /// <summary>Edits <paramref name="graph"/>; returns the weight quantization of every anchor, by node name.</summary>
    public static Dictionary<string, WeightQuantization> Write(GraphProto graph, QdqPlan plan, QuantType weightType)
    {
        var writer = new QdqWriter(graph);
        foreach (var (tensor, parameters) in plan.Activations)
            writer.QuantizeActivation(tensor, parameters);
        var weights = new Dictionary<string, WeightQuantization>();
        foreach (var anchor in plan.Anchors)
            weights[NameOf(anchor.Node)] = writer.QuantizeWeights(anchor, plan.Activations[anchor.Activation], weightType);
        writer.Reorder();
        foreach (string old in writer.replaced)
            RemoveIfUnused(graph, old); // float weights and biases nothing reads any more (a shared one stays while read)
        return weights;
    }

    private void QuantizeActivation(string tensor, QuantParams parameters)
    {
        var (scale, zero) = QdqTensors.Parameters(Unique(tensor + "_scale"), Unique(tensor + "_zero_point"), [parameters], perChannel: false);
        graph.Initializer.Add(scale);
        graph.Initializer.Add(zero);
        string quantized = Unique(tensor + "_quantized");
        var producer = Producer(graph, tensor);
        string source = tensor, dequantized;
        if (IsGraphOutput(graph, tensor) && producer is not null)
        {
            source = Unique(tensor + "_float");          // the producer writes t_float; the DQ writes t, so the output keeps its name
            for (int i = 0; i < producer.Output.Count; i++)
                if (producer.Output[i] == tensor) producer.Output[i] = source;
            dequantized = tensor;
        }
        else
        {
            dequantized = Unique(tensor + "_dequantized");
            RenameReads(graph, tensor, dequantized);      // every reader gets the int8-rounded value: ORT's selectors need the Q as sole reader
        }
        var nodes = Place(producer);
        nodes.Add(QdqTensors.Node("QuantizeLinear", Unique(tensor + "_QuantizeLinear"), source, scale.Name, zero.Name, quantized));
        nodes.Add(QdqTensors.Node("DequantizeLinear", Unique(tensor + "_DequantizeLinear"), quantized, scale.Name, zero.Name, dequantized));
    }

    private WeightQuantization QuantizeWeights(AnchorPlan anchor, QuantParams input, QuantType weightType)
    {
        var node = anchor.Node;
        var w = Initializer(graph, node.Input[1])!;
        var q = WeightQuantizer.Weights(ReadFloats(w)!, w.Dims, anchor.WeightAxis, weightType);
        string codes = Unique(w.Name + "_quantized");
        graph.Initializer.Add(QdqTensors.Codes(codes, q.Codes, OnnxElementType.Int8, w.Dims));
        var (scale, zero) = QdqTensors.Parameters(Unique(w.Name + "_scale"), Unique(w.Name + "_zero_point"), q.Params, anchor.WeightAxis is not null);
        graph.Initializer.Add(scale);
        graph.Initializer.Add(zero);
        string weightOut = Unique(w.Name + "_dequantized");
        head.Add(QdqTensors.Node("DequantizeLinear", Unique(w.Name + "_DequantizeLinear"), codes, scale.Name, zero.Name, weightOut, anchor.WeightAxis));
        string originalWeight = node.Input[1];
        replaced.Add(originalWeight);
        node.Input[1] = weightOut;

        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            var b = Initializer(graph, node.Input[2])!;
            var (biasCodes, biasScales) = WeightQuantizer.Bias(ReadFloats(b)!, input.Scale, q);
            bool perChannel = anchor.WeightAxis is not null;
            string biasName = Unique(b.Name + "_quantized");
            graph.Initializer.Add(QdqTensors.Codes(biasName, biasCodes, OnnxElementType.Int32, [biasCodes.Length]));
            var biasScale = QdqTensors.Floats(Unique(b.Name + "_scale"), biasScales, perChannel);
            var biasZero = QdqTensors.Codes(Unique(b.Name + "_zero_point"), new int[biasScales.Length], OnnxElementType.Int32, perChannel ? [biasScales.Length] : []);
            graph.Initializer.Add(biasScale);
            graph.Initializer.Add(biasZero);
            string biasOut = Unique(b.Name + "_dequantized");
            head.Add(QdqTensors.Node("DequantizeLinear", Unique(b.Name + "_DequantizeLinear"), biasName, biasScale.Name, biasZero.Name, biasOut, perChannel ? 0 : null));
            replaced.Add(b.Name);
            node.Input[2] = biasOut;
        }
        return new WeightQuantization(NameOf(node), originalWeight, codes, anchor.WeightAxis, q.Params, w.Dims.ToArray());
    }

    /// <summary>The list new nodes go into: right after <paramref name="producer"/>, or first when the tensor is a graph input.</summary>
    private List<NodeProto> Place(NodeProto? producer)
    {
        if (producer is null)
            return head;
        if (!after.TryGetValue(producer, out var list))
            after[producer] = list = [];
        return list;
    }

    private void Reorder()
    {
        var ordered = new List<NodeProto>(head);
        foreach (var node in graph.Node)
        {
            ordered.Add(node);
            if (after.TryGetValue(node, out var list))
                ordered.AddRange(list);
        }
        graph.Node.Clear();
        graph.Node.AddRange(ordered);
    }

    private string Unique(string stem)
    {
        string name = stem;
        for (int i = 2; !taken.Add(name); i++)
            name = $"{stem}_{i}";
        return name;
    }
}
