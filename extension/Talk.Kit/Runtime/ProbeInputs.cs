using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Talk.Kit.Models;

namespace Talk.Kit.Runtime;

/// <summary>
/// Inputs for a shape probe: the declared shapes made concrete, filled with uniform random values in [−1, 1)
/// for floating types and zeros for integers and booleans (zeros are valid indices, shapes and masks).
/// </summary>
internal static class ProbeInputs
{
    /// <summary>
    /// The concrete shape fed for <paramref name="input"/>: symbols take their value from <paramref name="symbols"/>, else
    /// <paramref name="batch"/>; a fixed leading dimension must equal <paramref name="batch"/> (it is the batch).
    /// </summary>
    public static TensorShape ShapeFor(Model model, TensorSpec input, int batch, IReadOnlyDictionary<string, long>? symbols)
    {
        if (input.Dims is null)
            throw new ModelFormatException(
                $"Input '{input.Name}' of model '{model.Name}' declares no shape, so there is nothing to feed it. Re-export the model with input shapes.");
        var dims = new long[input.Dims.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            var d = input.Dims[i];
            if (d.Value is { } fixedSize)
            {
                if (i == 0 && fixedSize != batch)
                    throw new ArgumentOutOfRangeException(nameof(batch), batch,
                        $"Model '{model.Name}' has input {input} with a fixed batch of {fixedSize}: use batch {fixedSize}, " +
                        "or make its batch dimension symbolic first.");
                dims[i] = fixedSize;
            }
            else
                dims[i] = d.Symbol is { } s && symbols?.TryGetValue(s, out long v) == true ? v : batch;
        }
        return new TensorShape(dims);
    }

    /// <summary>A tensor of <paramref name="type"/> and <paramref name="shape"/> in ORT-allocated memory. The caller disposes it.</summary>
    public static OrtValue Create(OnnxElementType type, TensorShape shape, Random random)
    {
        if (type is OnnxElementType.String || type.BitsPerElement() is null or < 8)
            throw new NotSupportedException($"Cannot make a probe input of type {type.OnnxName()}: only numeric and bool inputs can be generated.");
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)type, shape.Dims.ToArray());
        value.GetTensorMutableRawData().Clear(); // ORT does not zero what it allocates
        float Next() => (float)(random.NextDouble() * 2 - 1);
        switch (type)
        {
            case OnnxElementType.Float: Fill(value.GetTensorMutableDataAsSpan<float>(), Next); break;
            case OnnxElementType.Double: Fill(value.GetTensorMutableDataAsSpan<double>(), () => Next()); break;
            case OnnxElementType.Float16: Fill(value.GetTensorMutableDataAsSpan<Float16>(), () => (Float16)Next()); break;
            case OnnxElementType.BFloat16: Fill(value.GetTensorMutableDataAsSpan<BFloat16>(), () => (BFloat16)Next()); break;
        }
        return value;
    }

    private static void Fill<T>(Span<T> span, Func<T> next)
    {
        for (int i = 0; i < span.Length; i++)
            span[i] = next();
    }
}
