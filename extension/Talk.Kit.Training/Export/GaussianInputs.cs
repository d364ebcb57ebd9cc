namespace Talk.Kit.Training.Export;

/// <summary>Deterministic N(0,1) test inputs, drawn without TorchSharp so they do not disturb its global generator.</summary>
internal static class GaussianInputs
{
    /// <summary><paramref name="count"/> samples of N(0,1) from a seeded System.Random (Box–Muller transform).</summary>
    public static float[] Create(long count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (long i = 0; i < count; i += 2)
        {
            // Box–Muller: u1 in (0,1], u2 in [0,1) → two independent N(0,1) samples r·cos θ, r·sin θ.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count)
                values[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
        }
        return values;
    }
}
