using System.Text;
using Talk.Kit.Data;
using static Talk.Kit.Interactive.Views.Html;

namespace Talk.Kit.Interactive.Views;

/// <summary>Views of datasets: where they came from, class balance, and a grid of real images drawn in the page.</summary>
internal static class DataViews
{
    public static string FashionText(FashionMnistData d) => new StringBuilder($"{d}\n")
        .Append($"  train: {d.Train.Count:N0} images, test: {d.Test.Count:N0} images, {d.Train.Rows}×{d.Train.Cols} grey-scale, {d.Train.ClassNames.Count} classes\n")
        .Append($"  per class (train): {string.Join(", ", d.Train.ClassNames.Zip(d.Train.ClassCounts(), (n, c) => $"{n} {c}"))}\n")
        .Append($"  normalization: (pixel/255 − {Normalization.Mean}) / {Normalization.Std}\n")
        .ToString();

    public static string FashionHtml(FashionMnistData d) =>
        $"<div class=\"talkkit-report\" style=\"font-family:system-ui,sans-serif\">{Heading($"Fashion-MNIST ({d.Kind})", 3)}" +
        Facts([
            ("found in", $"{d.Location.Directory} ({d.Location.Source})"),
            ("train", $"{d.Train.Count:N0} images"),
            ("test", $"{d.Test.Count:N0} images"),
            ("images", $"{d.Train.Rows}×{d.Train.Cols} grey-scale, 0–255; the kit feeds (pixel/255 − {Normalization.Mean}) / {Normalization.Std}"),
            ("per class (train)", string.Join(", ", d.Train.ClassNames.Zip(d.Train.ClassCounts(), (n, c) => $"{n} {c:N0}"))),
        ]) + Heading("The first test images of each class") + ImageGrid(d.Test, perClass: 8) + "</div>";

    /// <summary>A grid, one row per class, of the first <paramref name="perClass"/> images of each class, drawn on canvases.</summary>
    public static string ImageGrid(LabelledImages images, int perClass, int scale = 2)
    {
        var sample = images.Balanced(perClass);
        string id = "talkkit-images-" + Guid.NewGuid().ToString("N")[..12];
        var rows = new StringBuilder();
        for (int c = 0; c < sample.ClassNames.Count; c++)
        {
            rows.Append($"<tr><td style=\"padding:2px 8px 2px 0;font-size:12px;text-align:right\">{Encode(sample.ClassNames[c])}</td><td>");
            for (int i = 0; i < sample.Count; i++)
                if (sample.Labels[i] == c)
                    rows.Append($"<canvas data-index=\"{i}\" width=\"{sample.Cols}\" height=\"{sample.Rows}\" style=\"width:{sample.Cols * scale}px;height:{sample.Rows * scale}px;image-rendering:pixelated;margin:1px\"></canvas>");
            rows.Append("</td></tr>");
        }
        // Pixels travel as base64 (one byte each); the script paints each canvas from its slice.
        return $$"""
            <table id="{{id}}" class="talkkit-images" style="border-collapse:collapse">{{rows}}</table>
            <script type="text/javascript">
            (function () {
              var bytes = atob("{{Convert.ToBase64String(sample.Pixels)}}"), size = {{sample.Rows * sample.Cols}};
              document.querySelectorAll("#{{id}} canvas").forEach(function (canvas) {
                var k = +canvas.getAttribute("data-index"), ctx = canvas.getContext("2d"), img = ctx.createImageData(canvas.width, canvas.height);
                for (var p = 0; p < size; p++) { var v = bytes.charCodeAt(k * size + p); img.data.set([v, v, v, 255], 4 * p); }
                ctx.putImageData(img, 0, 0);
              });
            })();
            </script>
            """;
    }
}
