using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Compression.Container;
using Talk.Kit.Compression.Sharing;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Tests.Compression.Container;

public class DeepCompressionTests
{
    // W1: 4-bit weights with a 3-bit index (85 % pruned: gaps > 7 occur, so fillers are exercised); W2: 3-bit, 5-bit.
    private static readonly CompressionSettings Settings = new([new("W1", 4, 3), new("W2", 3, 5)]);

    [Fact]
    public void RoundTrip_GivesCentroidAtIndex_AndOrtOutputsOfTheSameWeightsSetDirectly()
    {
        var w = GemmNet.Weights();
        var compressed = DeepCompression.Compress(GemmNet.Build(w), Settings);

        var decoded = DeepCompression.Decompress(compressed.ToArray(), "decoded");

        var w1 = WeightSharing.Cluster(w.W1, 4).Decode(w.W1); // centroid[index] at the non-zeros, zeros elsewhere
        var w2 = WeightSharing.Cluster(w.W2, 3).Decode(w.W2);
        Assert.Equal(w1, decoded.FloatInitializer("W1"));
        Assert.Equal(w2, decoded.FloatInitializer("W2"));
        Assert.Equal(w.B1, decoded.FloatInitializer("b1")); // raw: untouched
        Assert.True(compressed.Report.Layers[0].Fillers > 0, "the test should exercise filler zeros");
        Assert.Equal(compressed.Shared.Fingerprint, decoded.Fingerprint); // the file decodes to exactly the Shared model

        var direct = GemmNet.Build((w1, w.B1, w2, w.B2), "direct");
        var input = GemmNet.Gaussian(new Random(1), 8 * 64, std: 1);
        using var a = new ModelRunner(ModelLoader.Validate(decoded), threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        using var b = new ModelRunner(direct, threads: 1, GraphOptimizationLevel.ORT_DISABLE_ALL);
        Assert.Equal(b.Run(input, [8, 64]).Output, a.Run(input, [8, 64]).Output);
    }

    [Fact]
    public void FileBytes_AreExactlyTheSumOfTheReportedParts()
    {
        var compressed = DeepCompression.Compress(GemmNet.Build(GemmNet.Weights()), Settings);
        var r = compressed.Report;

        Assert.Equal(compressed.Bytes.Length, r.FileBytes);
        Assert.Equal(r.FileBytes, r.ContainerBytes + r.GraphBytes + r.Layers.Sum(l => l.TotalBytes) + r.ChecksumBytes);
        Assert.All(r.Layers, l => Assert.Equal((l.WeightStreamBits + 7) / 8, l.WeightBytes));
        Assert.All(r.Layers, l => Assert.Equal((l.IndexStreamBits + 7) / 8, l.IndexBytes));
        Assert.Equal(r.FileBytes, r.Stages.Huffman);
    }

    [Fact]
    public void Stages_ShrinkInThePapersOrder_ButATinyFileIsMostlyGraphAndTables()
    {
        var model = GemmNet.Build(GemmNet.Weights());
        var r = DeepCompression.Compress(model, Settings).Report;
        var s = r.Stages;

        Assert.Equal(model.InitializerBytes, s.DenseFp32);
        Assert.True(s.DenseFp32 > s.Sparse && s.Sparse > s.Shared && s.Huffman < s.Sparse, s.ToString());
        // 2,368 weights: the graph (names, shapes, biases) and Huffman tables outweigh what Huffman saves over fixed
        // width; on LeNet-300-100 (CompressionMeasurements) the file is smaller than the Shared stage.
        Assert.True(r.GraphBytes + r.Layers.Sum(l => l.TableBytes) > s.Huffman - s.Shared);
    }

    [Fact]
    public void SaveThenLoad_RoundTrips_ThroughAnAtomicWrite()
    {
        var compressed = DeepCompression.Compress(GemmNet.Build(GemmNet.Weights()), Settings);
        string folder = Directory.CreateTempSubdirectory("tkdc-").FullName;
        try
        {
            string path = compressed.Save(Path.Combine(folder, "net" + ContainerFormat.Extension));
            var loaded = DeepCompression.Load(path);

            Assert.Equal("net", loaded.Name);
            Assert.Equal(compressed.Shared.Fingerprint, loaded.Fingerprint);
            Assert.Single(Directory.GetFiles(folder)); // no temporary left behind
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void DefaultSettings_ShareRank2And4Weights_AndKeepBiasesRaw()
    {
        var settings = CompressionSettings.ForModel(GemmNet.Build(GemmNet.Weights()));
        Assert.Equal(["W1", "W2"], settings.Layers.Select(l => l.Initializer)); // W2's bits are capped: CodebookBitsTests
    }

    [Fact]
    public void AnUnknownInitializer_IsRefused_WithTheNamesThereAre()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            DeepCompression.Compress(GemmNet.Build(GemmNet.Weights()), new CompressionSettings([LayerCompression.Fc("W9")])));
        Assert.Contains("W1, b1, W2, b2", e.Message);
    }

    [Fact]
    public void ADamagedByte_FailsTheChecksum()
    {
        var bytes = Bytes();
        bytes[bytes.Length / 2] ^= 0x10;

        var e = Assert.Throws<CompressedModelFormatException>(() => DeepCompression.Decompress(bytes, "net"));
        Assert.Contains("fails its checksum", e.Message);
    }

    [Fact]
    public void ATruncatedFile_SaysSo()
    {
        var bytes = Bytes();
        foreach (int length in new[] { bytes.Length - 1, bytes.Length / 2, 10, 0 })
        {
            var e = Assert.Throws<CompressedModelFormatException>(() => DeepCompression.Decompress(bytes[..length], "net"));
            Assert.Contains("is truncated", e.Message);
        }
    }

    [Fact]
    public void AWrongMagic_SaysItIsNoSuchFile_AndSpotsAPlainOnnxModel()
    {
        var e = Assert.Throws<CompressedModelFormatException>(() => DeepCompression.Decompress(GemmNet.Build(GemmNet.Weights()).ToArray(), "net"));
        Assert.Contains("not a Talk.Kit Deep Compression file", e.Message);
        Assert.Contains("ModelLoader.Load", e.Message);
    }

    [Fact]
    public void ANewerVersion_AsksForANewerKit()
    {
        var bytes = Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 2);

        var e = Assert.Throws<CompressedModelFormatException>(() => DeepCompression.Decompress(bytes, "net"));
        Assert.Contains("format version 2; this Talk.Kit reads version 1", e.Message);
    }

    [Fact]
    public void CorruptContent_WithAValidChecksum_FailsCleanly()
    {
        // A damaged file whose CRC was recomputed (a buggy writer, a deliberate edit): every field must still be checked.
        var original = Bytes();
        var random = new Random(5);
        int graphEnd = ContainerFormat.HeaderBytes + BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(20));
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            var bytes = original.ToArray();
            bytes[random.Next(graphEnd, bytes.Length - 4)] ^= (byte)(1 << random.Next(8));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
            try { DeepCompression.Decompress(bytes, "net"); } // a flipped centroid bit still decodes: other weights, a valid model
            catch (CompressedModelFormatException e) { rejected++; Assert.Contains("is corrupt", e.Message); }
        }
        Assert.True(rejected > 100, $"only {rejected} of 400 corruptions were detected");
    }

    private static byte[] Bytes() => DeepCompression.Compress(GemmNet.Build(GemmNet.Weights()), Settings).ToArray();
}
