<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>Actions</name>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <source>&amp;Open photo…</source>
        <translation>&amp;Abrir foto…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="169"/>
        <location filename="../../plq_desktop/gui/actions.py" line="226"/>
        <source>Open a passport photo</source>
        <translation>Abrir una foto de pasaporte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play &amp;video file…</source>
        <translation>Reproducir archivo de &amp;vídeo…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="170"/>
        <source>Play a video file as if it were the camera</source>
        <translation>Reproducir un archivo de vídeo como si fuera la cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play &amp;image folder…</source>
        <translation>Reproducir carpeta de &amp;imágenes…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="171"/>
        <source>Play the photos of a folder as a stream</source>
        <translation>Reproducir las fotos de una carpeta como un flujo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>&amp;Live</source>
        <translation>En &amp;directo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="172"/>
        <source>Start or stop the camera</source>
        <translation>Iniciar o detener la cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="173"/>
        <source>&amp;Auto-capture…</source>
        <translation>Captura &amp;automática…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="174"/>
        <source>Capture the best frame by itself once the face qualifies, into a folder you choose</source>
        <translation>Capturar sola la mejor imagen en cuanto el rostro cumpla las condiciones, en una carpeta que usted elija</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>&amp;Side by side</source>
        <translation>&amp;Lado a lado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="175"/>
        <source>Compare two models on the same frame</source>
        <translation>Comparar dos modelos en la misma imagen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>&amp;Difference</source>
        <translation>&amp;Diferencia</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="176"/>
        <source>Right pane: right model&apos;s map minus the left one&apos;s</source>
        <translation>Panel derecho: mapa del modelo derecho menos el del izquierdo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>&amp;Save result…</source>
        <translation>&amp;Guardar resultado…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="177"/>
        <source>Save the overlay image and a JSON report</source>
        <translation>Guardar la imagen superpuesta y un informe JSON</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="178"/>
        <source>&amp;Export passport photo…</source>
        <translation>&amp;Exportar foto de pasaporte…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="179"/>
        <source>Crop and scale the largest face to the ICAO 35 x 45 mm geometry</source>
        <translation>Recortar y escalar el rostro más grande a la geometría OACI de 35 x 45 mm</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>&amp;Copy image</source>
        <translation>&amp;Copiar imagen</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="180"/>
        <source>Copy the overlay image to the clipboard</source>
        <translation>Copiar la imagen superpuesta al portapapeles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="181"/>
        <source>&amp;Batch audit…</source>
        <translation>Auditoría por &amp;lotes…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="182"/>
        <source>Audit a folder of photos, or browse the results of an earlier batch</source>
        <translation>Auditar una carpeta de fotos, o revisar los resultados de un lote anterior</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="183"/>
        <source>Audit a &amp;folder…</source>
        <translation>Auditar una &amp;carpeta…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="184"/>
        <source>Choose a folder of photos to audit as a batch</source>
        <translation>Elegir una carpeta de fotos para auditar por lotes</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="185"/>
        <source>Open batch &amp;results…</source>
        <translation>Abrir &amp;resultados de lote…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="186"/>
        <source>Open the output folder of plq batch on the batch page</source>
        <translation>Abrir la carpeta de salida de plq batch en la página de lotes</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>&amp;Photo and live page</source>
        <translation>Página de &amp;foto y directo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="187"/>
        <source>Back to the photo and live view</source>
        <translation>Volver a la vista de foto y directo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="188"/>
        <source>Quit PLQ Desktop</source>
        <translation>Salir de PLQ Desktop</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>&amp;Next face</source>
        <translation>Rostro &amp;siguiente</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="189"/>
        <source>Assess the next face of the photo</source>
        <translation>Evaluar el rostro siguiente de la foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>&amp;Previous face</source>
        <translation>Rostro &amp;anterior</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="190"/>
        <source>Assess the previous face of the photo</source>
        <translation>Evaluar el rostro anterior de la foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="191"/>
        <source>Zoom &amp;in</source>
        <translation>&amp;Acercar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="192"/>
        <source>Zoom &amp;out</source>
        <translation>A&amp;lejar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="193"/>
        <source>&amp;Fit to window</source>
        <translation>A&amp;justar a la ventana</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Less opacity</source>
        <translation>Menos opacidad</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="194"/>
        <source>Map opacity down</source>
        <translation>Bajar la opacidad del mapa</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>More opacity</source>
        <translation>Más opacidad</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="195"/>
        <source>Map opacity up</source>
        <translation>Subir la opacidad del mapa</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>Map gamma up</source>
        <translation>Subir el gamma del mapa</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="196"/>
        <source>More green in the map (colours only)</source>
        <translation>Más verde en el mapa (solo los colores)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>Map gamma down</source>
        <translation>Bajar el gamma del mapa</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="197"/>
        <source>More red in the map (colours only)</source>
        <translation>Más rojo en el mapa (solo los colores)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Per-pixel map (&amp;raw)</source>
        <translation>Mapa por píxel (en &amp;bruto)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="198"/>
        <source>Show the unsmoothed per-pixel map</source>
        <translation>Mostrar el mapa por píxel sin suavizar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="199"/>
        <source>&amp;Applicant&apos;s wording</source>
        <translation>Redacción para el &amp;solicitante</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="200"/>
        <source>Hints as said to the person in front of the camera, instead of the officer&apos;s wording</source>
        <translation>Indicaciones tal como se dicen a la persona ante la cámara, en lugar de la redacción para el funcionario</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Atajos de &amp;teclado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="201"/>
        <source>List every keyboard shortcut</source>
        <translation>Listar todos los atajos de teclado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="203"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="204"/>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="206"/>
        <source>The window and the hints in this language</source>
        <translation>La ventana y las indicaciones en este idioma</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="207"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="208"/>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="209"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="210"/>
        <source>&amp;Camera</source>
        <translation>&amp;Cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="211"/>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="212"/>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="213"/>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="214"/>
        <source> Camera </source>
        <translation> Cámara </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="215"/>
        <source> Model </source>
        <translation> Modelo </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>Photos ({patterns})</source>
        <translation>Fotos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="225"/>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="245"/>
        <source>(none yet)</source>
        <translation>(ninguno todavía)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Mayús+Tab</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="255"/>
        <source>Move between the controls</source>
        <translation>Moverse entre los controles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Arrow keys</source>
        <translation>Teclas de flecha</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="256"/>
        <source>Move in the hints list and the batch table</source>
        <translation>Moverse en la lista de indicaciones y en la tabla de lotes</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="257"/>
        <source>Batch table: open the row&apos;s photo</source>
        <translation>Tabla de lotes: abrir la foto de la fila</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Alt + underlined letter</source>
        <translation>Alt + letra subrayada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="258"/>
        <source>Open a menu</source>
        <translation>Abrir un menú</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="266"/>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Key</source>
        <translation>Tecla</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/actions.py" line="268"/>
        <source>Command</source>
        <translation>Orden</translation>
    </message>
</context>
<context>
    <name>AutoCaptureController</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="158"/>
        <source>capture %p%</source>
        <translation>captura %p%</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="159"/>
        <source>Auto-capture: how long the face has met the conditions</source>
        <translation>Captura automática: cuánto tiempo lleva el rostro cumpliendo las condiciones</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="167"/>
        <source>Folder for the captured photo</source>
        <translation>Carpeta para la foto capturada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="171"/>
        <source>Auto-capture into {folder}: start the camera ({key})</source>
        <translation>Captura automática en {folder}: inicie la cámara ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="209"/>
        <source>captured</source>
        <translation>capturada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="210"/>
        <source>capture in {seconds} s</source>
        <translation>captura en {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="211"/>
        <source>capture: waiting</source>
        <translation>captura: esperando</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="212"/>
        <source>Hold still</source>
        <translation>Quédese quieto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="221"/>
        <source>Captured frame {frame}, quality {quality}: {path}</source>
        <translation>Imagen {frame} capturada, calidad {quality}: {path}</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="75"/>
        <source>Face</source>
        <translation>Rostro</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="76"/>
        <source>Hints</source>
        <translation>Indicaciones</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="92"/>
        <source>Unreadable: {reason}</source>
        <translation>Ilegible: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="94"/>
        <source>No face found</source>
        <translation>No se encontró ningún rostro</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="97"/>
        <source>no hints</source>
        <translation>sin indicaciones</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="289"/>
        <source>{face} of {faces}</source>
        <translation>{face} de {faces}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="301"/>
        <source>No hints</source>
        <translation>Sin indicaciones</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="303"/>
        <source>quality {quality} (raw {raw})</source>
        <translation>calidad {quality} (en bruto {raw})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="498"/>
        <source>Folder of photos (walked recursively)</source>
        <translation>Carpeta de fotos (con subcarpetas)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="499"/>
        <source>Output folder: results.csv, results.jsonl, maps/</source>
        <translation>Carpeta de salida: results.csv, results.jsonl, maps/</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="500"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="501"/>
        <source>B&amp;rowse…</source>
        <translation>E&amp;xaminar…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="502"/>
        <source>R&amp;un batch</source>
        <translation>Ejecu&amp;tar lote</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="503"/>
        <source>Audit every photo of the folder into the output folder; a stopped batch continues where it stopped</source>
        <translation>Auditar cada foto de la carpeta en la carpeta de salida; un lote detenido continúa donde se detuvo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="505"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="507"/>
        <source>Open the output folder of an earlier batch (plq batch)</source>
        <translation>Abrir la carpeta de salida de un lote anterior (plq batch)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="508"/>
        <source>&amp;Photos</source>
        <translation>&amp;Fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="509"/>
        <source>&amp;Output</source>
        <translation>Sa&amp;lida</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="506"/>
        <source>Open re&amp;sults…</source>
        <translation>Abrir resulta&amp;dos…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="510"/>
        <source>Filter by chec&amp;k</source>
        <translation>Filtrar por co&amp;mprobación</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="511"/>
        <source>%v / %m photos</source>
        <translation>%v / %m fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="513"/>
        <source>No batch yet: choose a folder of photos and an output folder, or open the results of an earlier batch</source>
        <translation>Aún no hay lote: elija una carpeta de fotos y una carpeta de salida, o abra los resultados de un lote anterior</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="517"/>
        <source>Double-click a row or press Enter to open its photo in the photo view</source>
        <translation>Haga doble clic en una fila o pulse Intro para abrir su foto en la vista de foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="518"/>
        <source>Show only the faces that fail this check; the histogram follows</source>
        <translation>Mostrar solo los rostros que no superan esta comprobación; el histograma se ajusta</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="528"/>
        <source>Open the output folder of a batch</source>
        <translation>Abrir la carpeta de salida de un lote</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="540"/>
        <source>Cannot read {path}: {reason}</source>
        <translation>No se puede leer {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="574"/>
        <source>{files} photos, {faces} faces, {problems} unusable — {csv}</source>
        <translation>{files} fotos, {faces} rostros, {problems} inutilizables — {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="608"/>
        <source>All rows ({count})</source>
        <translation>Todas las filas ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="609"/>
        <source>Any failing check ({count})</source>
        <translation>Alguna comprobación fallida ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="611"/>
        <source>Unreadable or no face ({count})</source>
        <translation>Ilegible o sin rostro ({count})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="614"/>
        <source>{check} — {count} failing</source>
        <translation>{check} — {count} fallidas</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="656"/>
        <source>quality (0-100)</source>
        <translation>calidad (0-100)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="657"/>
        <source>faces</source>
        <translation>rostros</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="669"/>
        <source>{shown} of {rows} rows shown; {faces} faces</source>
        <translation>{shown} de {rows} filas mostradas; {faces} rostros</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="672"/>
        <source>median quality {quality}</source>
        <translation>calidad mediana {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="700"/>
        <source>{path} is not there any more (moved or deleted?)</source>
        <translation>{path} ya no está (¿movido o borrado?)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="722"/>
        <source>Folder of photos to audit</source>
        <translation>Carpeta de fotos para auditar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="728"/>
        <source>Output folder of the batch</source>
        <translation>Carpeta de salida del lote</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="735"/>
        <source>Choose a folder of photos and an output folder first</source>
        <translation>Elija primero una carpeta de fotos y una carpeta de salida</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="746"/>
        <source>A batch is running: cancel it first</source>
        <translation>Hay un lote en curso: cancélelo primero</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="750"/>
        <source>{path} is not a folder</source>
        <translation>{path} no es una carpeta</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="771"/>
        <source>Loading {model}…</source>
        <translation>Cargando {model}…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="781"/>
        <source>Cancelling after the photo in hand…</source>
        <translation>Cancelando tras la foto en curso…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="792"/>
        <source>{done} of {total} photos</source>
        <translation>{done} de {total} fotos</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="794"/>
        <source>({count} done earlier)</source>
        <translation>({count} hechas antes)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="796"/>
        <source>{rate} photos/s · {time} left</source>
        <translation>{rate} fotos/s · quedan {time}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="820"/>
        <source>Batch stopped: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Lote detenido: {count} fotos en {seconds} s ({rate} fotos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="821"/>
        <source>Batch done: {count} photos in {seconds} s ({rate} photos/s) -&gt; {csv}</source>
        <translation>Lote terminado: {count} fotos en {seconds} s ({rate} fotos/s) -&gt; {csv}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="825"/>
        <source>Stopped at {done} of {total} photos; Run batch again continues where it stopped</source>
        <translation>Detenido en {done} de {total} fotos; «Ejecutar lote» continúa donde se detuvo</translation>
    </message>
</context>
<context>
    <name>BatchRunThread</name>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="153"/>
        <source>Batch cancelled before it started</source>
        <translation>Lote cancelado antes de empezar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="162"/>
        <source>choose the same model, or another output folder</source>
        <translation>elija el mismo modelo, u otra carpeta de salida</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/batch_page.py" line="165"/>
        <source>Batch failed: {reason}</source>
        <translation>Falló el lote: {reason}</translation>
    </message>
</context>
<context>
    <name>CaptureRing</name>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="122"/>
        <source>Captured</source>
        <translation>Capturada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/capture.py" line="127"/>
        <source>Hold still</source>
        <translation>Quédese quieto</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>right
higher</source>
        <translation>derecha
más alta</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="437"/>
        <source>left
higher</source>
        <translation>izquierda
más alta</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>much use
to recognition</source>
        <translation>muy útil al
reconocimiento</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/view.py" line="438"/>
        <source>little use
to recognition</source>
        <translation>poco útil al
reconocimiento</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="63"/>
        <source>Show the full message (paths, file names, checksums)</source>
        <translation>Mostrar el mensaje completo (rutas, nombres de archivo, sumas de comprobación)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="64"/>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Hide details</source>
        <translation>Ocultar detalles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/banner.py" line="98"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="63"/>
        <location filename="../../plq_desktop/gui/export.py" line="85"/>
        <source>Nothing to save yet: open a photo or start the camera</source>
        <translation>Aún no hay nada que guardar: abra una foto o inicie la cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="74"/>
        <source>Cannot save {path}: {reason}</source>
        <translation>No se puede guardar {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="77"/>
        <source>Saved {image} and {report}</source>
        <translation>{image} y {report} guardados</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="88"/>
        <source>Save the overlay image (and the JSON report)</source>
        <translation>Guardar la imagen superpuesta (y el informe JSON)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="89"/>
        <location filename="../../plq_desktop/gui/export.py" line="152"/>
        <source>PNG image (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="98"/>
        <source>Nothing to copy yet</source>
        <translation>Aún no hay nada que copiar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="101"/>
        <source>Overlay image copied to the clipboard</source>
        <translation>Imagen superpuesta copiada al portapapeles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="127"/>
        <source>Cannot export {path}: {reason}</source>
        <translation>No se puede exportar {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="131"/>
        <source>Passport photo saved to {path}</source>
        <translation>Foto de pasaporte guardada en {path}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="141"/>
        <source>No face to export: open a photo with a face first</source>
        <translation>No hay rostro que exportar: abra primero una foto con un rostro</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="150"/>
        <source>Export passport photo (35 x 45 mm, 600 dpi)</source>
        <translation>Exportar foto de pasaporte (35 x 45 mm, 600 ppp)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/export.py" line="151"/>
        <source>JPEG image (*.jpg *.jpeg)</source>
        <translation>Imagen JPEG (*.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>FeedControl</name>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="62"/>
        <source>Camera resolution</source>
        <translation>Resolución de la cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="109"/>
        <source>Default size</source>
        <translation>Tamaño predeterminado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="91"/>
        <source>Playing: {name}</source>
        <translation>Reproduciendo: {name}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="67"/>
        <source>No camera? Play a video file as the camera: plq-desktop --source VIDEO, or File &gt; Play video file… (to make a demo video: plq-desktop --write-demo-video demo.mp4)</source>
        <translation>¿No hay cámara? Reproduzca un archivo de vídeo como cámara: plq-desktop --source VIDEO, o Archivo &gt; Reproducir archivo de vídeo… (para crear un vídeo de demostración: plq-desktop --write-demo-video demo.mp4)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="147"/>
        <source>Camera lost: {camera} was disconnected</source>
        <translation>Cámara perdida: {camera} se ha desconectado</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="153"/>
        <source>No camera found.</source>
        <translation>No se encontró ninguna cámara.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="179"/>
        <source>Starting {source}…</source>
        <translation>Iniciando {source}…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="190"/>
        <source>Live: {source}</source>
        <translation>En directo: {source}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="216"/>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="217"/>
        <source>Live view stopped</source>
        <translation>Vista en directo detenida</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>Videos ({patterns})</source>
        <translation>Vídeos ({patterns})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="220"/>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="221"/>
        <source>Play a video file</source>
        <translation>Reproducir un archivo de vídeo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/feed.py" line="226"/>
        <source>Play the photos of a folder</source>
        <translation>Reproducir las fotos de una carpeta</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="132"/>
        <source>Camera 0 (OpenCV)</source>
        <translation>Cámara 0 (OpenCV)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="231"/>
        <source>Open a passport photo ({open}) or drop one here, or start the camera ({live})</source>
        <translation>Abra una foto de pasaporte ({open}) o suéltela aquí, o inicie la cámara ({live})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="263"/>
        <source>Display</source>
        <translation>Visualización</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="264"/>
        <source>Map &amp;opacity</source>
        <translation>&amp;Opacidad del mapa</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="265"/>
        <source>Map &amp;gamma (+/-)</source>
        <translation>&amp;Gamma del mapa (+/-)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="267"/>
        <source>&amp;Device</source>
        <translation>Dis&amp;positivo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="269"/>
        <source>Photo / live</source>
        <translation>Foto / directo</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="270"/>
        <source>Batch</source>
        <translation>Lote</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/window.py" line="266"/>
        <source>&amp;Map colours</source>
        <translation>Colores del &amp;mapa</translation>
    </message>
</context>
<context>
    <name>ModelControl</name>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="72"/>
        <source>Explanation shown in this pane: PLQ (pixel-level quality) or AMVA (activation-map deviation from high-quality faces)</source>
        <translation>Explicación mostrada en este panel: PLQ (calidad por píxel) o AMVA (desviación del mapa de activación respecto de rostros de alta calidad)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="74"/>
        <source>Added to each model&apos;s calibrated gamma: higher shows more green.
It stretches the map&apos;s colours only; the image quality does not change.</source>
        <translation>Se suma al gamma calibrado de cada modelo: más alto muestra más verde.
Solo estira los colores del mapa; la calidad de la imagen no cambia.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="77"/>
        <source>Per-pixel map (raw)</source>
        <translation>Mapa sin suavizar</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="78"/>
        <source>Show the unsmoothed per-pixel map (the paper&apos;s Eq. 6) instead of the readable one.
Colours only: the hints do not change.</source>
        <translation>Mostrar el mapa por píxel sin suavizar (ec. 6 del artículo) en lugar del legible.
Solo los colores: las indicaciones no cambian.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="80"/>
        <source>auto: the GPU when CUDA is available, else the CPU</source>
        <translation>auto: la GPU si CUDA está disponible; si no, la CPU</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="86"/>
        <source>Device: {device}</source>
        <translation>Dispositivo: {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="87"/>
        <source>Device: loading…</source>
        <translation>Dispositivo: cargando…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="154"/>
        <source>Model {models} on {device}</source>
        <translation>Modelo {models} en {device}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="155"/>
        <source> and </source>
        <translation> y </translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="218"/>
        <source>Pixel-level quality: how much each pixel is of use to recognition (red to green)</source>
        <translation>Calidad por píxel: cuánto sirve cada píxel al reconocimiento (de rojo a verde)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="220"/>
        <source>Activation-map deviation from high-quality faces (black: as expected, bright: far off); points at occluders and pose problems</source>
        <translation>Desviación del mapa de activación respecto de rostros de alta calidad (negro: lo esperado, claro: muy lejos); señala oclusiones y problemas de pose</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="266"/>
        <source>Licence: {licence}</source>
        <translation>Licencia: {licence}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="269"/>
        <source>Not installed: see &apos;{command}&apos;</source>
        <translation>No instalado: véase «{command}»</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="275"/>
        <source>{model} (not installed)</source>
        <translation>{model} (no instalado)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="277"/>
        <source>Quality estimator: {estimator}</source>
        <translation>Estimador de calidad: {estimator}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="311"/>
        <source>Model {model} is not installed. To install it, run: {command}</source>
        <translation>El modelo {model} no está instalado. Para instalarlo, ejecute: {command}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/models.py" line="313"/>
        <source>Model {model} is not installed (still using {using}). To install it, run: {command}</source>
        <translation>El modelo {model} no está instalado (se sigue usando {using}). Para instalarlo, ejecute: {command}</translation>
    </message>
</context>
<context>
    <name>PaletteControl</name>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="25"/>
        <source>Red to green</source>
        <translation>De rojo a verde</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="26"/>
        <source>Blue to yellow (cividis)</source>
        <translation>De azul a amarillo (cividis)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/palette_choice.py" line="27"/>
        <source>Colours of the quality map, its legend, the gauges and the face boxes.
Blue to yellow (cividis) stays readable with red-green colour blindness.</source>
        <translation>Colores del mapa de calidad, su leyenda, los indicadores y los recuadros de los rostros.
De azul a amarillo (cividis) sigue siendo legible con daltonismo rojo-verde.</translation>
    </message>
</context>
<context>
    <name>QtCameraFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="179"/>
        <source>Camera error ({camera}): {reason}</source>
        <translation>Error de cámara ({camera}): {reason}</translation>
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
        <translation>hace (segundos)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="124"/>
        <source>quality</source>
        <translation>calidad</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="231"/>
        <source>Face:</source>
        <translation>Rostro:</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="232"/>
        <source>Several faces: choose the one to assess (the largest is chosen first)</source>
        <translation>Varios rostros: elija el que se evalúa (primero se elige el más grande)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="235"/>
        <source>&amp;Wording:</source>
        <translation>&amp;Redacción:</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="236"/>
        <source>Officer (what you read)</source>
        <translation>Funcionario (lo que usted lee)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="237"/>
        <source>Applicant (said to the person)</source>
        <translation>Solicitante (lo que se dice a la persona)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="238"/>
        <source>Whose wording the hints show: the officer&apos;s, or the sentence for the person in front of the camera</source>
        <translation>Qué redacción muestran las indicaciones: la del funcionario o la frase para la persona ante la cámara</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="240"/>
        <source>What if this were fixed?</source>
        <translation>¿Y si esto se corrigiera?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="241"/>
        <source>Simulate repairing the chosen hint&apos;s region (inpainting) and show the quality before and after.
A simulation: never an enrolment photo.</source>
        <translation>Simular la reparación de la región de la indicación elegida (inpainting) y mostrar la calidad antes y después.
Una simulación: nunca una foto de registro.</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="244"/>
        <source>Quality over the last 30 s</source>
        <translation>Calidad en los últimos 30 s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="255"/>
        <source>Face {n} (largest)</source>
        <translation>Rostro {n} (el más grande)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="256"/>
        <source>Face {n}</source>
        <translation>Rostro {n}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/panel.py" line="310"/>
        <source>threshold {value}</source>
        <translation>umbral {value}</translation>
    </message>
</context>
<context>
    <name>ReaderFeed</name>
    <message>
        <location filename="../../plq_desktop/gui/sources.py" line="99"/>
        <source>{source} has no more frames</source>
        <translation>{source} ya no da más imágenes</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="54"/>
        <source>Opacity of the quality map over the face ( [ and ] )</source>
        <translation>Opacidad del mapa de calidad sobre el rostro ( [ y ] )</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="56"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="93"/>
        <source>Analysis took {seconds} s</source>
        <translation>El análisis tardó {seconds} s</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="151"/>
        <source>{model} · quality {quality}</source>
        <translation>{model} · calidad {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face in view</source>
        <translation>Ningún rostro a la vista</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="157"/>
        <source>No face found in this photo</source>
        <translation>No se encontró ningún rostro en esta foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="174"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="180"/>
        <location filename="../../plq_desktop/gui/result_view.py" line="209"/>
        <source>What to fix</source>
        <translation>Qué corregir</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="182"/>
        <source>Nothing to fix · weakest face regions</source>
        <translation>Nada que corregir · regiones del rostro más débiles</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="237"/>
        <source>analysis {rate}/s, latency {ms} ms</source>
        <translation>análisis {rate}/s, latencia {ms} ms</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="238"/>
        <source>analysis starting</source>
        <translation>iniciando análisis</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="240"/>
        <source>video {fps} fps</source>
        <translation>vídeo {fps} fps</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="241"/>
        <source>{count} frames skipped</source>
        <translation>{count} imágenes omitidas</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/result_view.py" line="265"/>
        <source>Difference: {right} minus {left}</source>
        <translation>Diferencia: {right} menos {left}</translation>
    </message>
</context>
<context>
    <name>WhatIfControl</name>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="43"/>
        <source>A what-if simulation is on screen: an inpainted photo is never an enrolment photo. Press Esc (Back to the photo) to save or export the original</source>
        <translation>Hay una simulación «¿y si?» en pantalla: una foto retocada por inpainting nunca es una foto de registro. Pulse Esc (Volver a la foto) para guardar o exportar el original</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="52"/>
        <source>Quality {before} → {after} ({change})</source>
        <translation>Calidad {before} → {after} ({change})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="59"/>
        <source>the brushed region</source>
        <translation>la región pintada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="60"/>
        <source>the region “{region}”</source>
        <translation>la región «{region}»</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="237"/>
        <source>&amp;Brush what-if</source>
        <translation>&amp;Pincel «¿y si?»</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="238"/>
        <source>Brush over a region of the photo; releasing the mouse simulates repairing it (inpainting)</source>
        <translation>Pintar sobre una región de la foto; al soltar el ratón se simula su reparación (inpainting)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>&amp;Apply brush</source>
        <translation>&amp;Aplicar pincel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="239"/>
        <source>Run the what-if on the brushed region</source>
        <translation>Ejecutar el «¿y si?» en la región pintada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>&amp;Clear brush</source>
        <translation>&amp;Borrar pincel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="240"/>
        <source>Remove the brushed mask</source>
        <translation>Quitar la máscara pintada</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Bigger brush</source>
        <translation>Pincel más grande</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="241"/>
        <source>Brush diameter up</source>
        <translation>Aumentar el diámetro del pincel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Smaller brush</source>
        <translation>Pincel más pequeño</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="242"/>
        <source>Brush diameter down</source>
        <translation>Reducir el diámetro del pincel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="243"/>
        <source>&amp;What if this hint were fixed?</source>
        <translation>¿&amp;Y si esta indicación se corrigiera?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="244"/>
        <source>Simulate repairing the region of the hint chosen in the list</source>
        <translation>Simular la reparación de la región de la indicación elegida en la lista</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Back to the &amp;photo</source>
        <translation>Volver a la &amp;foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="245"/>
        <source>Close the what-if simulation</source>
        <translation>Cerrar la simulación «¿y si?»</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="246"/>
        <source>Brush diameter in photo pixels</source>
        <translation>Diámetro del pincel en píxeles de la foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="247"/>
        <source>Brush</source>
        <translation>Pincel</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="248"/>
        <source>Back to the photo ({key})</source>
        <translation>Volver a la foto ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="251"/>
        <source>What-&amp;if</source>
        <translation>¿&amp;Y si?</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="280"/>
        <source>{name} is a what-if simulation (inpainted): it is never an enrolment photo</source>
        <translation>{name} es una simulación «¿y si?» (inpainting): nunca es una foto de registro</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="311"/>
        <source>Brush over the region to repair; releasing the mouse runs the what-if (a simulation)</source>
        <translation>Pinte sobre la región que reparar; al soltar el ratón se ejecuta el «¿y si?» (una simulación)</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="322"/>
        <source>Nothing brushed yet: turn on the brush ({key}) and paint over the region</source>
        <translation>Aún no hay nada pintado: active el pincel ({key}) y pinte sobre la región</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="333"/>
        <source>What-if: the hint is about the whole {region}; choose a hint about one part of it, or brush over that part</source>
        <translation>«¿Y si?»: la indicación se refiere a toda la zona «{region}»; elija una indicación sobre una parte, o pinte esa parte</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="349"/>
        <source>What-if works on a photo: open one first ({key})</source>
        <translation>El «¿y si?» funciona sobre una foto: abra una primero ({key})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="353"/>
        <source>What-if needs a face: none was found in this photo</source>
        <translation>El «¿y si?» necesita un rostro: no se encontró ninguno en esta foto</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="361"/>
        <source>What-if: inpainting {what} and analysing again…</source>
        <translation>«¿Y si?»: inpainting de {what} y nuevo análisis…</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="392"/>
        <source>SIMULATION (what-if, not for enrolment): inpainting {what} — {change} ({model})</source>
        <translation>SIMULACIÓN («¿y si?», no para el registro): inpainting de {what} — {change} ({model})</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="397"/>
        <source>{title} — what-if SIMULATION</source>
        <translation>{title} — SIMULACIÓN «¿y si?»</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="384"/>
        <source>What-if (simulation): {change} after inpainting {what}</source>
        <translation>«¿Y si?» (simulación): {change} tras el inpainting de {what}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="411"/>
        <source>Before · quality {quality}</source>
        <translation>Antes · calidad {quality}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="412"/>
        <source>After · SIMULATION · {change}</source>
        <translation>Después · SIMULACIÓN · {change}</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="414"/>
        <source>Before</source>
        <translation>Antes</translation>
    </message>
    <message>
        <location filename="../../plq_desktop/gui/whatif.py" line="415"/>
        <source>After (simulation)</source>
        <translation>Después (simulación)</translation>
    </message>
</context>
</TS>
