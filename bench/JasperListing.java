// The grouped listing rendered by JasperReports: compile a JRXML, or fill it from SQLite and export PDFs.
//
// java -cp CLASSPATH JasperListing compile REPORT.jrxml REPORT.jasper
// java -cp CLASSPATH JasperListing render REPORT.jasper DB.sqlite OUT.pdf RUNS
//
// render fills and exports the report RUNS times in this one JVM (each run: open the
// JDBC connection, JasperFillManager.fillReport from the .jasper file, export the PDF with
// JasperExportManager) and prints one JSON line: the seconds of each run, split into fill
// and export, and the page count. Run 1 is a fresh JVM's; run 2 onwards a warm one's.
// Part of python -m bench (bench/jasper.py), which compiles this file with javac.

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperExportManager;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;

public final class JasperListing {
    private JasperListing() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("compile")) {
            JasperCompileManager.compileReportToFile(args[1], args[2]);
            return;
        }
        if (args.length != 5 || !args[0].equals("render")) {
            System.err.println("usage: JasperListing compile IN.jrxml OUT.jasper"
                    + " | render IN.jasper DB.sqlite OUT.pdf RUNS");
            System.exit(2);
        }
        String jasper = args[1];
        String url = "jdbc:sqlite:" + args[2];
        String out = args[3];
        int runs = Integer.parseInt(args[4]);
        List<String> times = new ArrayList<>();
        int pages = 0;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            JasperPrint print;
            try (Connection connection = DriverManager.getConnection(url)) {
                print = JasperFillManager.fillReport(jasper, new HashMap<>(), connection);
            }
            long filled = System.nanoTime();
            JasperExportManager.exportReportToPdfFile(print, out);
            long done = System.nanoTime();
            pages = print.getPages().size();
            times.add(String.format(java.util.Locale.ROOT,
                    "{\"seconds\": %.6f, \"fill\": %.6f, \"export\": %.6f}",
                    (done - start) / 1e9, (filled - start) / 1e9, (done - filled) / 1e9));
        }
        System.out.println("{\"pages\": " + pages + ", \"runs\": [" + String.join(", ", times) + "]}");
    }
}
