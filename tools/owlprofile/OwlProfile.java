// What the OWL API makes of an ontology file: its OWL 2 DL profile violations, the RDF
// triples its parser could not map to OWL, the imports it could not resolve offline, and
// (with --assertions) the object property assertions it reads, with their annotations.
//
// Run with Java's source-file mode and the OWL API from Debian (libowlapi-java) on the
// class path, nothing to build:
//
//   java -cp '/usr/share/java/*' tools/owlprofile/OwlProfile.java \
//       [--map IRI=FILE ...] [--assertions] FILE [FILE ...]
//
// --map IRI=FILE resolves an owl:imports of IRI to the local FILE. Every other import is
// reported as missing, never fetched: the checker makes no network connection.
//
// Output, one record a line, tab-separated, for each FILE:
//   file            FILE
//   ontology        ONTOLOGY-IRI  VERSION-IRI ("-" where absent)
//   import          IRI  (each owl:imports of the file)
//   missing-import  IRI
//   violation       KIND  TEXT       (OWL2DLProfile over the imports closure)
//   unparsed        SUBJECT  PREDICATE  OBJECT
//   assertion       SUBJECT  PROPERTY  OBJECT  ANNOTATIONS   (--assertions only)
//   summary         violations=N  unparsed=N  missing-imports=N  axioms=N
// Exit 0 when every file loaded (whatever it found), 2 when one could not be loaded.

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAnnotation;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLObjectPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfile {
    /** Where an unmapped import "is": a file that does not exist, so it is missing, never fetched. */
    private static final IRI NOWHERE = IRI.create(new File("/nonexistent/imid-onto-owlprofile/unmapped.owl"));

    public static void main(String[] args) {
        Map<IRI, IRI> mapped = new LinkedHashMap<>();
        List<String> files = new ArrayList<>();
        boolean assertions = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--map") && i + 1 < args.length) {
                String[] parts = args[++i].split("=", 2);
                if (parts.length != 2) {
                    System.err.println("owlprofile: --map takes IRI=FILE, not " + args[i]);
                    System.exit(2);
                }
                mapped.put(IRI.create(parts[0]), IRI.create(new File(parts[1]).getAbsoluteFile()));
            } else if (arg.equals("--assertions")) {
                assertions = true;
            } else {
                files.add(arg);
            }
        }
        if (files.isEmpty()) {
            System.err.println("owlprofile: usage: OwlProfile [--map IRI=FILE ...] [--assertions] FILE [FILE ...]");
            System.exit(2);
        }
        int status = 0;
        for (String name : files) {
            status = Math.max(status, check(new File(name), mapped, assertions));
        }
        System.exit(status);
    }

    private static String clean(Object value) {
        return String.valueOf(value).replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static int check(File file, Map<IRI, IRI> mapped, boolean assertions) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        OWLOntologyIRIMapper offline = iri -> mapped.getOrDefault(iri, NOWHERE);
        manager.getIRIMappers().add(offline);
        List<String> missing = new ArrayList<>();
        manager.addMissingImportListener(event -> missing.add(event.getImportedOntologyURI().toString()));
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        System.out.println("file\t" + file.getPath());
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
        } catch (OWLOntologyCreationException err) {
            String message = clean(err.getMessage());
            System.out.println("error\t" + (message.length() > 2000 ? message.substring(0, 2000) : message));
            return 2;
        }
        System.out.println("ontology\t" + ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("-")
                + "\t" + ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse("-"));
        ontology.importsDeclarations().forEach(d -> System.out.println("import\t" + d.getIRI()));
        for (String iri : missing) {
            System.out.println("missing-import\t" + iri);
        }

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<OWLProfileViolation> violations = report.getViolations();
        for (OWLProfileViolation violation : violations) {
            System.out.println("violation\t" + violation.getClass().getSimpleName() + "\t" + clean(violation));
        }

        long unparsed = 0;
        OWLDocumentFormat format = manager.getOntologyFormat(ontology);
        Optional<OWLOntologyLoaderMetaData> meta = format == null ? Optional.empty() : format.getOntologyLoaderMetaData();
        if (meta.isPresent() && meta.get() instanceof RDFParserMetaData) {
            List<String> triples = ((RDFParserMetaData) meta.get()).getUnparsedTriples()
                    .map(t -> clean(t.getSubject()) + "\t" + clean(t.getPredicate()) + "\t" + clean(t.getObject()))
                    .sorted()
                    .collect(Collectors.toList());
            for (String triple : triples) {
                System.out.println("unparsed\t" + triple);
            }
            unparsed = triples.size();
        }

        if (assertions) {
            TreeSet<String> lines = new TreeSet<>();
            for (OWLObjectPropertyAssertionAxiom axiom : ontology.getAxioms(AxiomType.OBJECT_PROPERTY_ASSERTION)) {
                String annotations = axiom.annotations()
                        .map(OwlProfile::annotation)
                        .sorted()
                        .collect(Collectors.joining(" "));
                lines.add("assertion\t" + clean(axiom.getSubject()) + "\t" + clean(axiom.getProperty()) + "\t"
                        + clean(axiom.getObject()) + "\t" + annotations);
            }
            lines.forEach(System.out::println);
        }

        System.out.println("summary\tviolations=" + violations.size() + "\tunparsed=" + unparsed
                + "\tmissing-imports=" + missing.size() + "\taxioms=" + ontology.getAxiomCount());
        return 0;
    }

    private static String annotation(OWLAnnotation annotation) {
        String value = annotation.getValue().asIRI().map(IRI::toQuotedString).orElse(String.valueOf(annotation.getValue()));
        return clean(annotation.getProperty().getIRI().toQuotedString()) + "=" + clean(value);
    }
}
