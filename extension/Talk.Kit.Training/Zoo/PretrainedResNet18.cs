using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Training;

/// <summary>
/// The real ImageNet ResNet-18 (a 512-d featurizer: the classifier head is removed) shipped in the NuGet package
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1, which <c>scripts/setup.sh</c> restores into the NuGet
/// packages folder. Input <c>Input247</c> [1,3,224,224] (BGR, mean-image subtracted), output
/// <c>Pooling395_Output_0</c> [1,512,1,1]; opset 8, batch fixed to 1. Its companion preprocessing model takes RGB
/// pixels 0–255 [1,3,224,224] (see <see cref="Talk.Kit.Data.ImageNetFeed"/> for Fashion-MNIST images).
/// </summary>
public static class PretrainedResNet18
{
    public const string Name = "resnet18";
    public const string Description = "ResNet-18 (He et al. 2016), ImageNet-pretrained, 512-d featurizer; from NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1";
    private const string PackageFolder = "microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels";

    /// <summary>The model file, if the package is restored.</summary>
    public static string ModelPath => Path.Combine(PackagesRoot(), PackageFolder, "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The preprocessing model file (RGB 0–255 → BGR minus the mean image).</summary>
    public static string PreprocessPath => Path.Combine(PackagesRoot(), PackageFolder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    public static bool IsInstalled => File.Exists(ModelPath) && File.Exists(PreprocessPath);

    /// <summary>Loads and validates ResNet-18.</summary>
    public static Model Load() => ModelLoader.Load(RequireInstalled(ModelPath));

    /// <summary>Loads and validates its preprocessing model.</summary>
    public static Model LoadPreprocess() => ModelLoader.Load(RequireInstalled(PreprocessPath));

    private static string RequireInstalled(string path) => File.Exists(path) ? path
        : throw new FileNotFoundException($"The pretrained ResNet-18 is not installed ({path} is missing): run ./kit.sh setup, which restores the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18.", path);

    private static string PackagesRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
