using Google.Protobuf;
using Onnx;
using static Talk.Kit.Fusion.GraphEdit;

namespace Talk.Kit.Fusion;

/// <summary>
/// Fuses a Relu (or a Clip with constant bounds) into the Conv or Gemm that feeds it, as ONNX Runtime's contrib ops
/// com.microsoft:FusedConv / FusedGemm: the activation is applied to each output as it is written, one pass over memory.
/// </summary>
/// <remarks>
/// <code>
/// Before:  x ─► Conv(W, b) ─► y ─► Relu ─► z            x ─► Gemm(B, C) ─► y ─► Relu ─► z
/// After:   x ─► com.microsoft:FusedConv(W, b; activation="Relu") ─► z
///          x ─► com.microsoft:FusedGemm(B, C; activation="Relu") ─► z
/// </code>
/// z = max(0, W∗x + b) for Relu; z = min(max(W∗x + b, lo), hi) for Clip(lo, hi), which FusedConv takes as
/// activation="Clip", activation_params=[lo, hi] (a missing bound is ∓float.MaxValue, as in ORT). The Conv/Gemm
/// attributes are copied. Fires only when the weights (W or B) are a float32 initializer (ORT implements the fused
/// ops for float32 only), y is read by the activation alone and is not a graph output; Clip bounds
/// must be constant (attributes before opset 11, scalar float initializers from 11). The model gets the
/// com.microsoft opset import (version 1) when it lacks one. Run this pass last: it changes the op types that the
/// other passes match on. Reference: ORT's ConvActivationFusion and GemmActivationFusion (level 2 optimizers).
/// </remarks>
public sealed class ActivationFusion : IGraphPass
{
    public const string MicrosoftDomain = "com.microsoft";

    public string Name => "fuse-activation";

    public string Description => "Conv → Relu/Clip and Gemm → Relu become com.microsoft:FusedConv / FusedGemm.";

    /// <summary>The activation is a Relu (after Conv or Gemm) or a constant Clip (after Conv) reading a private output.</summary>
    public static bool Matches(GraphProto graph, NodeProto activation, out NodeProto producer, out float[] parameters)
    {
        (producer, parameters) = (null!, []);
        if (activation.Domain.Length > 0 || activation.Input.Count < 1 || activation.Output.Count != 1)
            return false;
        if (Producer(graph, activation.Input[0]) is not { OpType: "Conv" or "Gemm", Domain: "" } p || p.Output.Count != 1)
            return false;
        bool yIsPrivate = IsPrivate(graph, activation.Input[0]);
        bool isFloat = p.Input.Count > 1 && Initializer(graph, p.Input[1]) is { } w && ReadFloats(w) is not null; // ORT's FusedConv/FusedGemm: float32 only
        bool fusable = (activation.OpType, p.OpType) switch
        {
            ("Relu", _) => true,
            ("Clip", "Conv") => ClipBounds(graph, activation, out parameters),
            _ => false,
        };
        producer = p;
        return yIsPrivate && isFloat && fusable;
    }

    /// <summary>[lo, hi] of a Clip, from attributes (opset &lt; 11) or scalar float initializers; false when not constant.</summary>
    private static bool ClipBounds(GraphProto graph, NodeProto clip, out float[] bounds)
    {
        float lo = FloatAttribute(clip, "min", float.MinValue), hi = FloatAttribute(clip, "max", float.MaxValue);
        bounds = [];
        for (int i = 1; i < clip.Input.Count; i++)
        {
            if (clip.Input[i].Length == 0)
                continue;
            if (Initializer(graph, clip.Input[i]) is not { } t || IsGraphInput(graph, clip.Input[i]) || ReadFloats(t) is not [float value])
                return false;
            if (i == 1) lo = value; else hi = value;
        }
        bounds = [lo, hi];
        return true;
    }

    public PassResult Apply(ModelProto model)
    {
        var graph = model.Graph;
        var changes = new List<PassChange>();
        foreach (var activation in graph.Node.ToList())
            if (Matches(graph, activation, out var producer, out float[] parameters))
                Rewrite(graph, producer, activation, parameters, changes);
        if (changes.Count > 0 && !model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        return new PassResult(Name, changes);
    }

    private static void Rewrite(GraphProto graph, NodeProto producer, NodeProto activation, float[] parameters, List<PassChange> changes)
    {
        var fused = new NodeProto
        {
            OpType = "Fused" + producer.OpType,          // FusedConv / FusedGemm
            Domain = MicrosoftDomain,
            Name = NameOf(producer) + "." + activation.OpType.ToLowerInvariant(),
            Input = { producer.Input },
            Output = { activation.Output[0] },
            Attribute = { producer.Attribute },
        };
        fused.Attribute.Add(new AttributeProto { Name = "activation", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(activation.OpType) });
        if (parameters.Length > 0)
            fused.Attribute.Add(new AttributeProto { Name = "activation_params", Type = AttributeProto.Types.AttributeType.Floats, Floats = { parameters } });
        graph.Node.Insert(graph.Node.IndexOf(producer), fused);
        graph.Node.Remove(producer);
        graph.Node.Remove(activation);
        changes.Add(new(PassChangeKind.NodeAdded, fused.Name, $"{MicrosoftDomain}:{fused.OpType} = {NameOf(producer)} + {NameOf(activation)}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(producer), $"fused into {fused.Name}"));
        changes.Add(new(PassChangeKind.NodeRemoved, NameOf(activation), $"fused into {fused.Name}"));
        foreach (string bound in activation.Input.Skip(1).Where(b => b.Length > 0).Distinct())
            if (RemoveIfUnused(graph, bound))
                changes.Add(new(PassChangeKind.InitializerRemoved, bound, "Clip bound now an attribute"));
    }
}
