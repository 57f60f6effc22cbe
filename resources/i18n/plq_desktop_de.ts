<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <source>&amp;Open photo…</source>
        <translation>Foto ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <location filename="../../plq_desktop/gui/actions.py" line="226"/>
        <source>Open a passport photo</source>
        <translation>Ein Passfoto öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play &amp;video file…</source>
        <translation>&amp;Videodatei abspielen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play a video file as if it were the camera</source>
        <translation>Eine Videodatei wie die Kamera abspielen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play &amp;image folder…</source>
        <translation>&amp;Bildordner abspielen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play the photos of a folder as a stream</source>
        <translation>Die Fotos eines Ordners als Bildfolge abspielen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>&amp;Live</source>
        <translation>&amp;Live</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>Start or stop the camera</source>
        <translation>Kamera starten oder anhalten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="173"/>
        <source>&amp;Auto-capture…</source>
        <translation>&amp;Automatische Aufnahme…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="174"/>
        <source>Capture the best frame by itself once the face qualifies, into a folder you choose</source>
        <translation>Das beste Bild selbst aufnehmen, sobald das Gesicht die Bedingungen erfüllt, in einen Ordner Ihrer Wahl</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>&amp;Side by side</source>
        <translation>&amp;Nebeneinander</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>Compare two models on the same frame</source>
        <translation>Zwei Modelle am selben Bild vergleichen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>&amp;Difference</source>
        <translation>&amp;Differenz</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>Right pane: right model&apos;s map minus the left one&apos;s</source>
        <translation>Rechte Ansicht: Karte des rechten Modells minus die des linken</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>&amp;Save result…</source>
        <translation>Ergebnis &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>Save the overlay image and a JSON report</source>
        <translation>Das Overlay-Bild und einen JSON-Bericht speichern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="178"/>
        <source>&amp;Export passport photo…</source>
        <translation>Passfoto &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="179"/>
        <source>Crop and scale the largest face to the ICAO 35 x 45 mm geometry</source>
        <translation>Das größte Gesicht auf die ICAO-Geometrie 35 x 45 mm zuschneiden und skalieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>&amp;Copy image</source>
        <translation>Bild &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>Copy the overlay image to the clipboard</source>
        <translation>Das Overlay-Bild in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="181"/>
        <source>&amp;Batch audit…</source>
        <translation>&amp;Stapelprüfung…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="182"/>
        <source>Audit a folder of photos, or browse the results of an earlier batch</source>
        <translation>Einen Fotoordner prüfen oder die Ergebnisse eines früheren Stapels durchsehen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="183"/>
        <source>Audit a &amp;folder…</source>
        <translation>&amp;Ordner prüfen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="184"/>
        <source>Choose a folder of photos to audit as a batch</source>
        <translation>Einen Fotoordner für die Stapelprüfung wählen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="185"/>
        <source>Open batch &amp;results…</source>
        <translation>Stapel&amp;ergebnisse öffnen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="186"/>
        <source>Open the output folder of plq batch on the batch page</source>
        <translation>Den Ausgabeordner von plq batch auf der Stapelseite öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>&amp;Photo and live page</source>
        <translation>&amp;Foto- und Live-Seite</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>Back to the photo and live view</source>
        <translation>Zurück zur Foto- und Live-Ansicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>Quit PLQ Desktop</source>
        <translation>PLQ Desktop beenden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>&amp;Next face</source>
        <translation>&amp;Nächstes Gesicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>Assess the next face of the photo</source>
        <translation>Das nächste Gesicht des Fotos bewerten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>&amp;Previous face</source>
        <translation>&amp;Vorheriges Gesicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>Assess the previous face of the photo</source>
        <translation>Das vorherige Gesicht des Fotos bewerten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="191"/>
        <source>Zoom &amp;in</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="192"/>
        <source>Zoom &amp;out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="193"/>
        <source>&amp;Fit to window</source>
        <translation>An Fenster an&amp;passen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Less opacity</source>
        <translation>Weniger Deckkraft</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Map opacity down</source>
        <translation>Deckkraft der Karte verringern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>More opacity</source>
        <translation>Mehr Deckkraft</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>Map opacity up</source>
        <translation>Deckkraft der Karte erhöhen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>Map gamma up</source>
        <translation>Gamma der Karte erhöhen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>More green in the map (colours only)</source>
        <translation>Mehr Grün in der Karte (nur die Farben)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>Map gamma down</source>
        <translation>Gamma der Karte verringern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>More red in the map (colours only)</source>
        <translation>Mehr Rot in der Karte (nur die Farben)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Per-pixel map (&amp;raw)</source>
        <translation>Pixelkarte (&amp;roh)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Show the unsmoothed per-pixel map</source>
        <translation>Die ungeglättete Pixelkarte zeigen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="199"/>
        <source>&amp;Applicant&apos;s wording</source>
        <translation>Wortlaut für &amp;Antragsteller</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="200"/>
        <source>Hints as said to the person in front of the camera, instead of the officer&apos;s wording</source>
        <translation>Hinweise so, wie sie der Person vor der Kamera gesagt werden, statt des Wortlauts für Sachbearbeiter</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>List every keyboard shortcut</source>
        <translation>Alle Tastenkürzel auflisten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="203"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="204"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="206"/>
        <source>The window and the hints in this language</source>
        <translation>Fenster und Hinweise in dieser Sprache</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="207"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="208"/>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="209"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="210"/>
        <source>&amp;Camera</source>
        <translation>&amp;Kamera</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="211"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="212"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="213"/>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="214"/>
        <source> Camera </source>
        <translation> Kamera </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="215"/>
        <source> Model </source>
        <translation> Modell </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>Photos ({patterns})</source>
        <translation>Fotos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="245"/>
        <source>(none yet)</source>
        <translation>(noch keine)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Umschalt+Tab</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Move between the controls</source>
        <translation>Zwischen den Bedienelementen wechseln</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Arrow keys</source>
        <translation>Pfeiltasten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Move in the hints list and the batch table</source>
        <translation>In der Hinweisliste und der Stapeltabelle bewegen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Enter</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Batch table: open the row&apos;s photo</source>
        <translation>Stapeltabelle: das Foto der Zeile öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Alt + underlined letter</source>
        <translation>Alt + unterstrichener Buchstabe</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Open a menu</source>
        <translation>Ein Menü öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="266"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Key</source>
        <translation>Taste</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
</context>
<context>
    <name>AutoCaptureController</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="158"/>
        <source>capture %p%</source>
        <translation>Aufnahme %p%</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="159"/>
        <source>Auto-capture: how long the face has met the conditions</source>
        <translation>Automatische Aufnahme: wie lange das Gesicht die Bedingungen schon erfüllt</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="167"/>
        <source>Folder for the captured photo</source>
        <translation>Ordner für das aufgenommene Foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="171"/>
        <source>Auto-capture into {folder}: start the camera ({key})</source>
        <translation>Automatische Aufnahme nach {folder}: Kamera starten ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="209"/>
        <source>captured</source>
        <translation>aufgenommen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="210"/>
        <source>capture in {seconds} s</source>
        <translation>Aufnahme in {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="211"/>
        <source>capture: waiting</source>
        <translation>Aufnahme: wartet</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="212"/>
        <source>Hold still</source>
        <translation>Bitte stillhalten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="221"/>
        <source>Captured frame {frame}, quality {quality}: {path}</source>
        <translation>Bild {frame} aufgenommen, Qualität {quality}: {path}</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>Face</source>
        <translation>Gesicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Hints</source>
        <translation>Hinweise</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="92"/>
        <source>Unreadable: {reason}</source>
        <translation>Nicht lesbar: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="94"/>
        <source>No face found</source>
        <translation>Kein Gesicht gefunden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="97"/>
        <source>no hints</source>
        <translation>keine Hinweise</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="289"/>
        <source>{face} of {faces}</source>
        <translation>{face} von {faces}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="301"/>
        <source>No hints</source>
        <translation>Keine Hinweise</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="303"/>
        <source>quality {quality} (raw {raw})</source>
        <translation>Qualität {quality} (roh {raw})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="498"/>
        <source>Folder of photos (walked recursively)</source>
        <translation>Fotoordner (mit Unterordnern)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="499"/>
        <source>Output folder: results.csv, results.jsonl, maps/</source>
        <translation>Ausgabeordner: results.csv, results.jsonl, maps/</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="500"/>
        <source>&amp;Browse…</source>
        <translation>Dur&amp;chsuchen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="501"/>
        <source>B&amp;rowse…</source>
        <translation>Durchsuche&amp;n…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="502"/>
        <source>R&amp;un batch</source>
        <translation>Stapel sta&amp;rten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="503"/>
        <source>Audit every photo of the folder into the output folder; a stopped batch continues where it stopped</source>
        <translation>Jedes Foto des Ordners in den Ausgabeordner prüfen; ein angehaltener Stapel setzt dort fort, wo er stand</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="505"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="507"/>
        <source>Open the output folder of an earlier batch (plq batch)</source>
        <translation>Den Ausgabeordner eines früheren Stapels öffnen (plq batch)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="508"/>
        <source>&amp;Photos</source>
        <translation>&amp;Fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="509"/>
        <source>&amp;Output</source>
        <translation>A&amp;usgabe</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="506"/>
        <source>Open re&amp;sults…</source>
        <translation>Erge&amp;bnisse öffnen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="510"/>
        <source>Filter by chec&amp;k</source>
        <translation>Nach Prüfung fi&amp;ltern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="511"/>
        <source>%v / %m photos</source>
        <translation>%v / %m Fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="513"/>
        <source>No batch yet: choose a folder of photos and an output folder, or open the results of an earlier batch</source>
        <translation>Noch kein Stapel: Fotoordner und Ausgabeordner wählen oder die Ergebnisse eines früheren Stapels öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="517"/>
        <source>Double-click a row or press Enter to open its photo in the photo view</source>
        <translation>Doppelklick auf eine Zeile oder Eingabetaste öffnet ihr Foto in der Fotoansicht</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="518"/>
        <source>Show only the faces that fail this check; the histogram follows</source>
        <translation>Nur die Gesichter zeigen, die diese Prüfung nicht bestehen; das Histogramm folgt</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="528"/>
        <source>Open the output folder of a batch</source>
        <translation>Den Ausgabeordner eines Stapels öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="540"/>
        <source>Cannot read {path}: {reason}</source>
        <translation>{path} kann nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="574"/>
        <source>{files} photos, {faces} faces, {problems} unusable — {csv}</source>
        <translation>{files} Fotos, {faces} Gesichter, {problems} unbrauchbar — {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="608"/>
        <source>All rows ({count})</source>
        <translation>Alle Zeilen ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="609"/>
        <source>Any failing check ({count})</source>
        <translation>Irgendeine Prüfung nicht bestanden ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="611"/>
        <source>Unreadable or no face ({count})</source>
        <translation>Nicht lesbar oder kein Gesicht ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="614"/>
        <source>{check} — {count} failing</source>
        <translation>{check} — {count} nicht bestanden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="656"/>
        <source>quality (0-100)</source>
        <translation>Qualität (0-100)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="657"/>
        <source>faces</source>
        <translation>Gesichter</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="669"/>
        <source>{shown} of {rows} rows shown; {faces} faces</source>
        <translation>{shown} von {rows} Zeilen angezeigt; {faces} Gesichter</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="672"/>
        <source>median quality {quality}</source>
        <translation>Median der Qualität {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="700"/>
        <source>{path} is not there any more (moved or deleted?)</source>
        <translation>{path} ist nicht mehr da (verschoben oder gelöscht?)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="722"/>
        <source>Folder of photos to audit</source>
        <translation>Zu prüfender Fotoordner</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="728"/>
        <source>Output folder of the batch</source>
        <translation>Ausgabeordner des Stapels</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="735"/>
        <source>Choose a folder of photos and an output folder first</source>
        <translation>Zuerst einen Fotoordner und einen Ausgabeordner wählen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="746"/>
        <source>A batch is running: cancel it first</source>
        <translation>Ein Stapel läuft: zuerst abbrechen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="750"/>
        <source>{path} is not a folder</source>
        <translation>{path} ist kein Ordner</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="771"/>
        <source>Loading {model}…</source>
        <translation>{model} wird geladen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="781"/>
        <source>Cancelling after the photo in hand…</source>
        <translation>Abbruch nach dem aktuellen Foto…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="792"/>
        <source>{done} of {total} photos</source>
        <translation>{done} von {total} Fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="794"/>
        <source>({count} done earlier)</source>
        <translation>({count} bereits früher erledigt)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="796"/>
        <source>{rate} photos/s · {time} left</source>
        <translation>{rate} Fotos/s · noch {time}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="820"/>
        <source>Batch stopped: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Stapel angehalten: {count} Fotos in {seconds} s ({rate} Fotos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="821"/>
        <source>Batch done: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Stapel fertig: {count} Fotos in {seconds} s ({rate} Fotos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="825"/>
        <source>Stopped at {done} of {total} photos; Run batch again continues where it stopped</source>
        <translation>Angehalten bei {done} von {total} Fotos; „Stapel starten“ setzt dort fort</translation>
    </message>
</context>
<context>
    <name>BatchRunThread</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="153"/>
        <source>Batch cancelled before it started</source>
        <translation>Stapel vor dem Start abgebrochen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="162"/>
        <source>choose the same model, or another output folder</source>
        <translation>dasselbe Modell oder einen anderen Ausgabeordner wählen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="165"/>
        <source>Batch failed: {reason}</source>
        <translation>Stapel fehlgeschlagen: {reason}</translation>
    </message>
</context>
<context>
    <name>CaptureRing</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="122"/>
        <source>Captured</source>
        <translation>Aufgenommen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="127"/>
        <source>Hold still</source>
        <translation>Bitte stillhalten</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>right
higher</source>
        <translation>rechts
höher</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>left
higher</source>
        <translation>links
höher</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>much use
to recognition</source>
        <translation>viel Nutzen
zur Erkennung</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>little use
to recognition</source>
        <translation>wenig Nutzen
zur Erkennung</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="63"/>
        <source>Show the full message (paths, file names, checksums)</source>
        <translation>Die vollständige Meldung zeigen (Pfade, Dateinamen, Prüfsummen)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="64"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Hide details</source>
        <translation>Details ausblenden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Details</source>
        <translation>Einzelheiten</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="63"/>
        <location filename="../../plq_desktop/gui/export.py" line="85"/>
        <source>Nothing to save yet: open a photo or start the camera</source>
        <translation>Noch nichts zu speichern: ein Foto öffnen oder die Kamera starten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="74"/>
        <source>Cannot save {path}: {reason}</source>
        <translation>{path} kann nicht gespeichert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="77"/>
        <source>Saved {image} and {report}</source>
        <translation>{image} und {report} gespeichert</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="88"/>
        <source>Save the overlay image (and the JSON report)</source>
        <translation>Overlay-Bild speichern (und den JSON-Bericht)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="89"/>
        <location filename="../../plq_desktop/gui/export.py" line="152"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="98"/>
        <source>Nothing to copy yet</source>
        <translation>Noch nichts zu kopieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="101"/>
        <source>Overlay image copied to the clipboard</source>
        <translation>Overlay-Bild in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="127"/>
        <source>Cannot export {path}: {reason}</source>
        <translation>{path} kann nicht exportiert werden: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="131"/>
        <source>Passport photo saved to {path}</source>
        <translation>Passfoto gespeichert unter {path}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="141"/>
        <source>No face to export: open a photo with a face first</source>
        <translation>Kein Gesicht zum Exportieren: zuerst ein Foto mit Gesicht öffnen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="150"/>
        <source>Export passport photo (35 x 45 mm, 600 dpi)</source>
        <translation>Passfoto exportieren (35 x 45 mm, 600 dpi)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="151"/>
        <source>JPEG image (*.jpg *.jpeg)</source>
        <translation>JPEG-Bild (*.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>FeedControl</name>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="62"/>
        <source>Camera resolution</source>
        <translation>Kameraauflösung</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="109"/>
        <source>Default size</source>
        <translation>Standardgröße</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="91"/>
        <source>Playing: {name}</source>
        <translation>Wiedergabe: {name}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="67"/>
        <source>No camera? Play a video file as the camera: plq-desktop --source VIDEO, or File &gt; Play video file… (to make a demo video: plq-desktop --write-demo-video demo.mp4)</source>
        <translation>Keine Kamera? Eine Videodatei als Kamera abspielen: plq-desktop --source VIDEO, oder Datei &gt; Videodatei abspielen… (ein Demovideo erzeugen: plq-desktop --write-demo-video demo.mp4)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="147"/>
        <source>Camera lost: {camera} was disconnected</source>
        <translation>Kamera verloren: {camera} wurde getrennt</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="153"/>
        <source>No camera found.</source>
        <translation>Keine Kamera gefunden.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="179"/>
        <source>Starting {source}…</source>
        <translation>{source} wird gestartet…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="190"/>
        <source>Live: {source}</source>
        <translation>Live: {source}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="216"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="217"/>
        <source>Live view stopped</source>
        <translation>Live-Ansicht angehalten</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>Videos ({patterns})</source>
        <translation>Videos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="221"/>
        <source>Play a video file</source>
        <translation>Eine Videodatei abspielen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="226"/>
        <source>Play the photos of a folder</source>
        <translation>Die Fotos eines Ordners abspielen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="132"/>
        <source>Camera 0 (OpenCV)</source>
        <translation>Kamera 0 (OpenCV)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="231"/>
        <source>Open a passport photo ({open}) or drop one here, or start the camera ({live})</source>
        <translation>Ein Passfoto öffnen ({open}) oder hier ablegen, oder die Kamera starten ({live})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="263"/>
        <source>Display</source>
        <translation>Anzeige</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="264"/>
        <source>Map &amp;opacity</source>
        <translation>Deckkraft der Ka&amp;rte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="265"/>
        <source>Map &amp;gamma (+/-)</source>
        <translation>&amp;Gamma der Karte (+/-)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="267"/>
        <source>&amp;Device</source>
        <translation>Gerä&amp;t</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="269"/>
        <source>Photo / live</source>
        <translation>Foto / live</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="270"/>
        <source>Batch</source>
        <translation>Stapel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="266"/>
        <source>&amp;Map colours</source>
        <translation>Karten&amp;farben</translation>
    </message>
</context>
<context>
    <name>ModelControl</name>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="72"/>
        <source>Explanation shown in this pane: PLQ (pixel-level quality) or AMVA (activation-map deviation from high-quality faces)</source>
        <translation>In dieser Ansicht gezeigte Erklärung: PLQ (Qualität je Pixel) oder AMVA (Abweichung der Aktivierungskarte von Gesichtern hoher Qualität)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="74"/>
        <source>Added to each model&apos;s calibrated gamma: higher shows more green.
It stretches the map&apos;s colours only; the image quality does not change.</source>
        <translation>Wird zum kalibrierten Gamma jedes Modells addiert: höher zeigt mehr Grün.
Es dehnt nur die Farben der Karte; die Bildqualität ändert sich nicht.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="77"/>
        <source>Per-pixel map (raw)</source>
        <translation>Pixelkarte (roh)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="78"/>
        <source>Show the unsmoothed per-pixel map (the paper&apos;s Eq. 6) instead of the readable one.
Colours only: the hints do not change.</source>
        <translation>Die ungeglättete Pixelkarte (Gl. 6 des Artikels) statt der lesbaren zeigen.
Nur die Farben: die Hinweise ändern sich nicht.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="80"/>
        <source>auto: the GPU when CUDA is available, else the CPU</source>
        <translation>auto: die GPU, wenn CUDA verfügbar ist, sonst die CPU</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="86"/>
        <source>Device: {device}</source>
        <translation>Gerät: {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="87"/>
        <source>Device: loading…</source>
        <translation>Gerät: wird geladen…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="154"/>
        <source>Model {models} on {device}</source>
        <translation>Modell {models} auf {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="155"/>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="218"/>
        <source>Pixel-level quality: how much each pixel is of use to recognition (red to green)</source>
        <translation>Qualität je Pixel: wie viel jedes Pixel zur Erkennung beiträgt (rot bis grün)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="220"/>
        <source>Activation-map deviation from high-quality faces (black: as expected, bright: far off); points at occluders and pose problems</source>
        <translation>Abweichung der Aktivierungskarte von Gesichtern hoher Qualität (schwarz: wie erwartet, hell: weit entfernt); zeigt Verdeckungen und Haltungsprobleme</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="266"/>
        <source>Licence: {licence}</source>
        <translation>Lizenz: {licence}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="269"/>
        <source>Not installed: see &apos;{command}&apos;</source>
        <translation>Nicht installiert: siehe „{command}“</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="275"/>
        <source>{model} (not installed)</source>
        <translation>{model} (nicht installiert)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="277"/>
        <source>Quality estimator: {estimator}</source>
        <translation>Qualitätsschätzer: {estimator}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="311"/>
        <source>Model {model} is not installed. To install it, run: {command}</source>
        <translation>Modell {model} ist nicht installiert. Zum Installieren ausführen: {command}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="313"/>
        <source>Model {model} is not installed (still using {using}). To install it, run: {command}</source>
        <translation>Modell {model} ist nicht installiert (weiterhin in Gebrauch: {using}). Zum Installieren ausführen: {command}</translation>
    </message>
</context>
<context>
    <name>PaletteControl</name>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="25"/>
        <source>Red to green</source>
        <translation>Rot bis grün</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="26"/>
        <source>Blue to yellow (cividis)</source>
        <translation>Blau bis gelb (cividis)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="27"/>
        <source>Colours of the quality map, its legend, the gauges and the face boxes.
Blue to yellow (cividis) stays readable with red-green colour blindness.</source>
        <translation>Farben der Qualitätskarte, ihrer Legende, der Anzeigen und der Gesichtsrahmen.
Blau bis gelb (cividis) bleibt bei Rot-Grün-Sehschwäche lesbar.</translation>
    </message>
</context>
<context>
    <name>QtCameraFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="179"/>
        <source>Camera error ({camera}): {reason}</source>
        <translation>Kamerafehler ({camera}): {reason}</translation>
    </message>
</context>
<context>
    <name>QualityGauge</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="66"/>
        <source>{caption}: {points} / 100 ({band}): {meaning}</source>
        <translation>{caption}: {points} / 100 ({band}): {meaning}</translation>
    </message>
</context>
<context>
    <name>QualityHistory</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="123"/>
        <source>seconds ago</source>
        <translation>vor Sekunden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="124"/>
        <source>quality</source>
        <translation>Qualität</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="231"/>
        <source>Face:</source>
        <translation>Gesicht:</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="232"/>
        <source>Several faces: choose the one to assess (the largest is chosen first)</source>
        <translation>Mehrere Gesichter: das zu bewertende wählen (zuerst ist das größte gewählt)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="235"/>
        <source>&amp;Wording:</source>
        <translation>&amp;Wortlaut:</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="236"/>
        <source>Officer (what you read)</source>
        <translation>Sachbearbeiter (was Sie lesen)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="237"/>
        <source>Applicant (said to the person)</source>
        <translation>Antragsteller (was der Person gesagt wird)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="238"/>
        <source>Whose wording the hints show: the officer&apos;s, or the sentence for the person in front of the camera</source>
        <translation>Wessen Wortlaut die Hinweise zeigen: den für Sachbearbeiter oder den Satz für die Person vor der Kamera</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="240"/>
        <source>What if this were fixed?</source>
        <translation>Was wäre, wenn das behoben wäre?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="241"/>
        <source>Simulate repairing the chosen hint&apos;s region (inpainting) and show the quality before and after.
A simulation: never an enrolment photo.</source>
        <translation>Die Reparatur der Region des gewählten Hinweises simulieren (Inpainting) und die Qualität vorher und nachher zeigen.
Eine Simulation: niemals ein Foto für die Erfassung.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="244"/>
        <source>Quality over the last 30 s</source>
        <translation>Qualität in den letzten 30 s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="255"/>
        <source>Face {n} (largest)</source>
        <translation>Gesicht {n} (größtes)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="256"/>
        <source>Face {n}</source>
        <translation>Gesicht {n}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="310"/>
        <source>threshold {value}</source>
        <translation>Schwelle {value}</translation>
    </message>
</context>
<context>
    <name>ReaderFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="99"/>
        <source>{source} has no more frames</source>
        <translation>{source} liefert keine Bilder mehr</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="54"/>
        <source>Opacity of the quality map over the face ( [ and ] )</source>
        <translation>Deckkraft der Qualitätskarte über dem Gesicht ( [ und ] )</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="56"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="93"/>
        <source>Analysis took {seconds} s</source>
        <translation>Analyse dauerte {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="151"/>
        <source>{model} · quality {quality}</source>
        <translation>{model} · Qualität {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face in view</source>
        <translation>Kein Gesicht im Bild</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face found in this photo</source>
        <translation>Kein Gesicht in diesem Foto gefunden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="174"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="180"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="209"/>
        <source>What to fix</source>
        <translation>Was zu beheben ist</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="182"/>
        <source>Nothing to fix · weakest face regions</source>
        <translation>Nichts zu beheben · schwächste Gesichtsregionen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="237"/>
        <source>analysis {rate}/s, latency {ms} ms</source>
        <translation>Analyse {rate}/s, Latenz {ms} ms</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="238"/>
        <source>analysis starting</source>
        <translation>Analyse startet</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="240"/>
        <source>video {fps} fps</source>
        <translation>Video {fps} fps</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="241"/>
        <source>{count} frames skipped</source>
        <translation>{count} Bilder übersprungen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="265"/>
        <source>Difference: {right} minus {left}</source>
        <translation>Differenz: {right} minus {left}</translation>
    </message>
</context>
<context>
    <name>WhatIfControl</name>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="43"/>
        <source>A what-if simulation is on screen: an inpainted photo is never an enrolment photo. Press Esc (Back to the photo) to save or export the original</source>
        <translation>Eine Was-wäre-wenn-Simulation wird angezeigt: ein per Inpainting verändertes Foto ist niemals ein Foto für die Erfassung. Esc drücken (Zurück zum Foto), um das Original zu speichern oder zu exportieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="52"/>
        <source>Quality {before} → {after} ({change})</source>
        <translation>Qualität {before} → {after} ({change})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="59"/>
        <source>the brushed region</source>
        <translation>die gepinselte Region</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="60"/>
        <source>the region “{region}”</source>
        <translation>die Region „{region}“</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="237"/>
        <source>&amp;Brush what-if</source>
        <translation>Was-wäre-wenn-&amp;Pinsel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="238"/>
        <source>Brush over a region of the photo; releasing the mouse simulates repairing it (inpainting)</source>
        <translation>Über eine Region des Fotos pinseln; beim Loslassen der Maus wird ihre Reparatur simuliert (Inpainting)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>&amp;Apply brush</source>
        <translation>Pinsel &amp;anwenden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>Run the what-if on the brushed region</source>
        <translation>Was-wäre-wenn auf der gepinselten Region ausführen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>&amp;Clear brush</source>
        <translation>Pinsel &amp;leeren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>Remove the brushed mask</source>
        <translation>Die gepinselte Maske entfernen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Bigger brush</source>
        <translation>Größerer Pinsel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Brush diameter up</source>
        <translation>Pinseldurchmesser erhöhen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Smaller brush</source>
        <translation>Kleinerer Pinsel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Brush diameter down</source>
        <translation>Pinseldurchmesser verringern</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="243"/>
        <source>&amp;What if this hint were fixed?</source>
        <translation>&amp;Was wäre, wenn dieser Hinweis behoben wäre?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="244"/>
        <source>Simulate repairing the region of the hint chosen in the list</source>
        <translation>Die Reparatur der Region des in der Liste gewählten Hinweises simulieren</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Back to the &amp;photo</source>
        <translation>Zurück zum &amp;Foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Close the what-if simulation</source>
        <translation>Die Was-wäre-wenn-Simulation schließen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="246"/>
        <source>Brush diameter in photo pixels</source>
        <translation>Pinseldurchmesser in Fotopixeln</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="247"/>
        <source>Brush</source>
        <translation>Pinsel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="248"/>
        <source>Back to the photo ({key})</source>
        <translation>Zurück zum Foto ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="251"/>
        <source>What-&amp;if</source>
        <translation>Was wäre w&amp;enn</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="280"/>
        <source>{name} is a what-if simulation (inpainted): it is never an enrolment photo</source>
        <translation>{name} ist eine Was-wäre-wenn-Simulation (Inpainting): niemals ein Foto für die Erfassung</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="311"/>
        <source>Brush over the region to repair; releasing the mouse runs the what-if (a simulation)</source>
        <translation>Über die zu reparierende Region pinseln; beim Loslassen der Maus läuft das Was-wäre-wenn (eine Simulation)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="322"/>
        <source>Nothing brushed yet: turn on the brush ({key}) and paint over the region</source>
        <translation>Noch nichts gepinselt: den Pinsel einschalten ({key}) und über die Region malen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="333"/>
        <source>What-if: the hint is about the whole {region}; choose a hint about one part of it, or brush over that part</source>
        <translation>Was-wäre-wenn: der Hinweis betrifft den ganzen Bereich „{region}“; einen Hinweis zu einem Teil davon wählen oder über diesen Teil pinseln</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="349"/>
        <source>What-if works on a photo: open one first ({key})</source>
        <translation>Was-wäre-wenn arbeitet mit einem Foto: zuerst eines öffnen ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="353"/>
        <source>What-if needs a face: none was found in this photo</source>
        <translation>Was-wäre-wenn braucht ein Gesicht: in diesem Foto wurde keines gefunden</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="361"/>
        <source>What-if: inpainting {what} and analysing again…</source>
        <translation>Was-wäre-wenn: Inpainting ({what}) und erneute Analyse…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="392"/>
        <source>SIMULATION (what-if, not for enrolment): inpainting {what} — {change} ({model})</source>
        <translation>SIMULATION (Was-wäre-wenn, nicht für die Erfassung): Inpainting ({what}) — {change} ({model})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="397"/>
        <source>{title} — what-if SIMULATION</source>
        <translation>{title} — Was-wäre-wenn-SIMULATION</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="384"/>
        <source>What-if (simulation): {change} after inpainting {what}</source>
        <translation>Was-wäre-wenn (Simulation): {change} nach Inpainting ({what})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="411"/>
        <source>Before · quality {quality}</source>
        <translation>Vorher · Qualität {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="412"/>
        <source>After · SIMULATION · {change}</source>
        <translation>Nachher · SIMULATION · {change}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="414"/>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="415"/>
        <source>After (simulation)</source>
        <translation>Nachher (Simulation)</translation>
    </message>
</context>
</TS>
