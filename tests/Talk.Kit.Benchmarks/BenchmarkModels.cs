using Talk.Kit.Models;
using Talk.Kit.Training;

namespace Talk.Kit.Benchmarks;

/// <summary>Zoo models by name: trained here and cached on first use (vgg-bn takes a few minutes once), or ResNet-18 from its package.</summary>
internal static class BenchmarkModels
{
    public static Model Get(string name)
    {
        if (!Zoo.IsCached(name) && Zoo.Entry(name).Recipe is not null)
            Console.Error.WriteLine($"  {name} is not cached yet: training it once (see Zoo recipes).");
        return Zoo.Get(name).Model;
    }
}
